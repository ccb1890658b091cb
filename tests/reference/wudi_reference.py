"""An independent PyTorch implementation of WUDI merging (Cheng et al., ICML 2025, "Whoever Started the
Interference Should End It: Guiding Data-Free Model Merging via Task Vectors"), the reference Merganser's
tests compare against (run_cases.py runs it; the call is mergekit_reference.py's):

    fn(inputs, base, params, tensor_params, info) -> torch.Tensor

Written from the paper's objective and Adam (Kingma & Ba 2015, in torch.optim.Adam's form), not from
Merganser's C++: the loss is formed literally, sum_i ||(tau - tau_i) tau_i^T||_F^2 / ||tau_i||_F^2, and its
gradient taken by autograd, in float64, so that the comparison measures Merganser's float32 error (Merganser
writes the gradient out instead of using autograd).

Where the paper's code and Merganser's definition (docs/spec/merge-methods.md, "wudi") differ on purpose,
this follows the definition: task vectors are scaled by the input weights, tensors of more than 2 dimensions
are flattened to [shape[0], -1], tasks with a zero task vector have no term (the code would divide by 0).
"""

import torch

from method_registry import registry

METHODS, method = registry()

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # torch.optim.Adam's defaults, the paper's code's


def _loss(tau, mats):
    terms = [((tau - t) @ t.T).pow(2).sum() / t.pow(2).sum() for t in mats if t.pow(2).sum() > 0]
    return sum(terms) if terms else None


@method("wudi")
def wudi(inputs, base, params, tensor_params, info):
    if base is None:
        raise ValueError("needs a base model")
    lam = float(params.get("lambda", 1.0))
    steps = int(params.get("steps", 300))
    lr = float(params.get("learning_rate", 1e-5))
    taus = [float(tp.get("weight", 1.0)) * (x.double() - base.double()) for x, tp in zip(inputs, tensor_params)]
    total = sum(taus)
    if base.dim() < 2 or base.numel() == 0 or steps == 0:
        return base.double() + lam * total  # definition: task arithmetic
    mats = [t.reshape(t.shape[0], -1) for t in taus]
    tau = total.reshape(total.shape[0], -1).clone()
    if _loss(tau, mats) is None:
        return base.double() + lam * total
    m = torch.zeros_like(tau)
    v = torch.zeros_like(tau)
    with torch.enable_grad():
        for t in range(1, steps + 1):
            x = tau.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(_loss(x, mats), x)
            m = BETA1 * m + (1 - BETA1) * g
            v = BETA2 * v + (1 - BETA2) * g * g
            m_hat = m / (1 - BETA1**t)
            v_hat = v / (1 - BETA2**t)
            tau = tau - lr * m_hat / (v_hat.sqrt() + EPSILON)
    return base.double() + lam * tau.reshape(base.shape)
