"""An independent PyTorch implementation of mergekit's merge methods, the reference Merganser's tests compare
against. Written from mergekit's documentation (docs/merge_methods.md) and the methods' papers, then
reviewed line by line against mergekit's code for the details a description leaves open (the notes marked
"mergekit:"). Not written from Merganser's spec or C++: a shared misunderstanding would otherwise pass.

Every method is one function registered with @method("name") and called as

    fn(inputs, base, params, tensor_params, info) -> torch.Tensor

  inputs         list of float tensors, the models other than the base, in input order
  base           the base model's tensor, or None
  params         dict of the method's global parameters (mergekit's `parameters:`), mergekit's names and
                 types (bool, float, int); absent keys take mergekit's defaults
  tensor_params  list with one dict per input (mergekit's per-model `parameters:`): "weight", "density",
                 "gamma", "epsilon", "scale", ...
  info           dict about the tensor: "name" (str), "is_embed" (bool)

A method raises an exception where mergekit fails (e.g. magnitude pruning that would keep nothing).
Computations are in the inputs' dtype (float32, bfloat16 or float16), as mergekit computes in the dtype it
loaded the tensors in (its `dtype`, by default the checkpoint's): every torch operation rounds its result
to that dtype, so where the rounding depends on how mergekit spells a computation (one stacked sum
rounded once or a running sum rounded per step, a bool mask or a float32 one that promotes the product,
numpy float32 in slerp), the code below spells it as mergekit does (the notes marked "dtype:").

Random pruning (DARE's bernoulli, DELLA's magprune) draws from torch's global generator, as mergekit does;
Merganser draws from its own seeded generator, so those masks can only be compared at density 1 or by
their statistics.
"""

import math

import torch

from method_registry import registry

METHODS, method = registry()


def _mul(x, s):
    """x * s, s a Python number or a 0-D tensor of another dtype (the second operand), as torch >= 2.1
    computes it (mergekit needs torch >= 2): a bf16 / f16 tensor times s in float32, rounded once. Debian's torch 1.13 would round s to
    the tensor's dtype first, so the reference spells these products out. (add and sub round a number to
    the tensor's dtype in every version: those stay plain.)"""
    if x.dtype in (torch.bfloat16, torch.float16):
        return (x.float() * (s.float() if torch.is_tensor(s) else s)).to(x.dtype)
    return x * s


def _div(x, s):
    """x / s as torch >= 2.1 computes it: see _mul."""
    if x.dtype in (torch.bfloat16, torch.float16):
        return (x.float() / (s.float() if torch.is_tensor(s) else s)).to(x.dtype)
    return x / s


def _mean(x, dim):
    """x.mean(dim) as torch >= 2.1 computes it for bf16 / f16 on the CPU: a float32 sum divided, rounded
    once (1.13 rounds the sum, then the quotient)."""
    return x.float().mean(dim).to(x.dtype)


def _dot(x, y):
    """torch.dot as torch >= 2.1 computes it for bf16 / f16: float32 products and sum, rounded once (1.13
    accumulates in the tensors' dtype, rounding every partial sum)."""
    return torch.dot(x.float(), y.float()).to(x.dtype)


def _norm_last(x):
    """torch.norm(x, dim=-1, keepdim=True) with float32 accumulation, rounded once, as torch computes the
    norm of bf16 / f16 rows; Debian's 1.13 rounds partial sums instead when the rows are not contiguous
    (nuslerp's row_wise transpose), one ulp off the float32 result."""
    return torch.linalg.norm(x.float(), dim=-1, keepdim=True).to(x.dtype)


def _weights(tensor_params):
    return [float(p.get("weight", 1.0)) for p in tensor_params]


def _param(params, name, default):
    return params[name] if name in params else default


# ---------------------------------------------------------------------------------------------------------
# Linear and spherical interpolation


@method("linear")
def linear(inputs, base, params, tensor_params, info):
    # Weighted average; normalize (default true) divides by the sum of the weights. No base.
    # dtype: the weights as a tensor of the inputs' dtype, one stacked sum (rounded once), as mergekit.
    w = torch.tensor(_weights(tensor_params), dtype=inputs[0].dtype).reshape([-1] + [1] * inputs[0].dim())
    total = (w * torch.stack(inputs)).sum(0)
    if _param(params, "normalize", True):
        total = total / w.sum(0)
    return total


def _slerp_pair(t, v0, v1, dot_threshold=0.9995, eps=1e-8):
    # Spherical interpolation of two tensors seen as flat vectors; the angle comes from the normalized
    # copies, the result combines the original tensors; nearly colinear pairs are lerped.
    # dtype: mergekit computes slerp in numpy float32 and casts the result back to the inputs' dtype.
    dtype = v0.dtype
    v0, v1 = v0.float(), v1.float()

    def unit(v):
        n = torch.linalg.norm(v.reshape(-1).double())
        return v.double() / n if n > eps else v.double()

    dot = float((unit(v0) * unit(v1)).sum())
    if abs(dot) > dot_threshold:
        return ((1 - t) * v0 + t * v1).to(dtype)
    theta = math.acos(dot)
    s0 = math.sin((1 - t) * theta) / math.sin(theta)
    s1 = math.sin(t * theta) / math.sin(theta)
    return (s0 * v0 + s1 * v1).to(dtype)


@method("slerp")
def slerp(inputs, base, params, tensor_params, info):
    # t = 0 gives the base model (mergekit requires one; without it the first input is the start).
    ends = ([base] if base is not None else []) + list(inputs)
    if len(ends) != 2:
        raise ValueError("slerp needs exactly two models")
    return _slerp_pair(float(params["t"]), ends[0], ends[1])


def _nuslerp_vectors(t, a, b, row_wise, flatten, eps=1e-8):
    shape = a.shape
    if flatten:
        a, b = a.reshape(-1), b.reshape(-1)
    elif row_wise:
        # mergekit: "row_wise" interpolates the vectors along dimension 0 (the tensor's columns are moved
        # last); otherwise the vectors along the last dimension.
        a, b = a.transpose(0, -1), b.transpose(0, -1)
    na = a / _norm_last(a).clamp(min=1e-7)
    nb = b / _norm_last(b).clamp(min=1e-7)
    cos = (na * nb).sum(dim=-1, keepdim=True).clamp(-1, 1)
    theta = torch.acos(cos)
    sin = torch.sin(theta)
    out = (torch.sin(_mul(theta, 1 - t)) * a + torch.sin(_mul(theta, t)) * b) / sin
    linear_part = _mul(a, 1 - t) + _mul(b, t)
    out = torch.where(sin.abs() < eps, linear_part, out)
    if row_wise and not flatten:
        out = out.transpose(0, -1)
    return out.reshape(shape)


@method("nuslerp")
def nuslerp(inputs, base, params, tensor_params, info):
    # t = w2 / (w1 + w2) (0.5 when the weights sum to ~0); with a base, on task vectors.
    if len(inputs) != 2:
        raise ValueError("nuslerp needs exactly two models besides the base")
    w = _weights(tensor_params)
    t = 0.5 if abs(sum(w)) < 1e-6 else w[1] / sum(w)
    row_wise = bool(_param(params, "nuslerp_row_wise", False))
    flatten = bool(_param(params, "nuslerp_flatten", True))
    if base is None:
        return _nuslerp_vectors(t, inputs[0], inputs[1], row_wise, flatten)
    return base + _nuslerp_vectors(t, inputs[0] - base, inputs[1] - base, row_wise, flatten)


@method("multislerp")
def multislerp(inputs, base, params, tensor_params, info):
    # Barycentric interpolation on the hypersphere: unit vectors, their weighted Euclidean mean projected
    # to the sphere, the weighted tangent vectors there, mapped back by the exponential map and scaled by
    # the weighted mean norm. With a base, on task vectors.
    if len(inputs) == 1:
        return inputs[0]
    eps = float(_param(params, "eps", 1e-8))
    w = torch.tensor(_weights(tensor_params), dtype=inputs[0].dtype)
    if _param(params, "normalize_weights", True):
        w = w / w.sum()
    shape = inputs[0].shape
    x = torch.stack([(t - base) if base is not None else t for t in inputs]).reshape(len(inputs), -1)
    norms = torch.linalg.norm(x, dim=1, keepdim=True)
    units = x / (norms + eps)
    centre = (units * w[:, None]).sum(0)
    centre_norm = torch.linalg.norm(centre)
    if centre_norm < eps:
        if len(inputs) == 2:  # mergekit: falls back to the weighted sum of two antipodal inputs
            out = (x[0] * w[0] + x[1] * w[1]).reshape(shape)
            return out + base if base is not None else out
        raise ValueError("multislerp: the weighted sum of the unit inputs is zero")
    centre = centre / centre_norm
    tangents = units - (units * centre).sum(-1, keepdim=True) * centre
    step = (tangents * w[:, None]).sum(0)
    step_norm = torch.linalg.norm(step) + eps
    out = centre * torch.cos(step_norm) + step * (torch.sin(step_norm) / step_norm)
    out = (out * (norms.squeeze(-1) * w).sum()).reshape(shape)
    return out + base if base is not None else out


def _karcher(tensors, alphas, max_iter, tol):
    # The weighted Riemannian (Karcher) mean on the unit sphere by fixed-point iteration (log maps averaged
    # at the current estimate, exponential map back), times Σ alpha_i·‖x_i‖.
    # dtype: as mergekit, the norms are taken in float32 and the rest runs in the tensors' dtype, with the
    # angles and the step's norm as 0-D tensors (torch.dot, arccos, sin in that dtype).
    norms = [torch.linalg.norm(t.float()) for t in tensors]
    keep = [i for i, n in enumerate(norms) if float(n) > tol]
    if not keep:
        return torch.zeros_like(tensors[0])
    a = [alphas[i] for i in keep]
    a = [ai / sum(a) for ai in a]
    units = [_div(tensors[i], norms[i]) for i in keep]
    u = torch.zeros_like(units[0])
    for ai, ui in zip(a, units):
        u += _mul(ui, ai)
    un = float(torch.linalg.norm(u.float()))
    u = units[0].clone() if un < tol else _div(u, un)
    for _ in range(max_iter):
        step = torch.zeros_like(u)
        for ai, ui in zip(a, units):
            cos = torch.clamp(_dot(u.flatten(), ui.flatten()), -1.0, 1.0)
            theta = torch.arccos(cos)
            if float(theta) < tol:
                continue
            step += _mul(theta / torch.sin(theta), ai) * (ui - cos * u)
        step_norm = torch.linalg.norm(step.float())
        if float(step_norm) < tol:
            break
        # cos(‖T‖)·u: a 0-D float32 tensor as the FIRST operand is rounded to u's dtype (torch >= 2.1 keeps
        # float32 only for the second operand of mul / div).
        u = torch.cos(step_norm) * u + torch.sin(step_norm) * _div(step, step_norm)
        un = torch.linalg.norm(u.float())
        if float(un) > tol:
            u = _div(u, un)
    return _mul(u, sum(al * float(n) for al, n in zip(alphas, norms)))


@method("karcher")
def karcher(inputs, base, params, tensor_params, info):
    # mergekit: every model of the merge, the base included, is one more point of equal weight 1/N; the
    # per-model weights are not used and the points are the raw tensors (not task vectors).
    points = ([base] if base is not None else []) + list(inputs)
    if len(points) == 1:
        return points[0]
    max_iter = int(_param(params, "max_iter", 10))
    tol = float(_param(params, "tol", 1e-5))
    return _karcher(points, [1.0 / len(points)] * len(points), max_iter, tol)


# ---------------------------------------------------------------------------------------------------------
# Sparsification (mergekit/sparsify.py's methods)


def _rescaled(delta, mask, rescale):
    # rescale = true: match the L1 norm of the unpruned delta (skipped when either norm is below 1e-7).
    kept = delta * mask
    if not rescale:
        return kept
    before = delta.abs().sum()
    after = kept.abs().sum()
    if before < 1e-7 or after < 1e-7:
        return kept
    return kept * (before / after)


def _magnitude_order(delta, descending):
    # Indices of |δ| sorted. mergekit's sort is not stable, so which of EQUAL magnitudes it keeps is up to
    # torch's sort (and bf16 deltas have many equal magnitudes); here ties go by index, as a stable sort
    # orders them — the order Merganser promises.
    return torch.sort(delta.abs().reshape(-1).float(), descending=descending, stable=True).indices


def _magnitude(delta, density, rescale):
    if density >= 1:
        return delta
    k = int(density * delta.numel())
    if k <= 0:
        raise ValueError("magnitude pruning would keep no entry")  # mergekit: an assertion
    mask = torch.zeros_like(delta).reshape(-1)  # dtype: the mask in the delta's dtype (mergekit)
    mask[_magnitude_order(delta, descending=True)[:k]] = 1
    return _rescaled(delta, mask.reshape(delta.shape), rescale)


def _magnitude_outliers(delta, density, gamma, rescale):
    # Breadcrumbs: drop the gamma·n largest |δ| and as many of the smallest as leave int(density·n).
    if density >= 1:
        return delta
    n = delta.numel()
    target = int(density * n)
    n_top = int(gamma * n)
    n_bot = n - target - n_top
    if n_bot < 0:  # the documented edge case: drop fewer of the largest so that the density holds
        n_top += n_bot
        n_bot = 0
    order = _magnitude_order(delta, descending=False)
    mask = torch.zeros_like(delta).reshape(-1)
    # mergekit keeps order[n_bot:-n_top]; Python's -0 makes that slice EMPTY when n_top is 0, so nothing
    # is kept then (not the documented "drop 0 outliers").
    if n_top > 0:
        mask[order[n_bot : n - n_top]] = 1
    return _rescaled(delta, mask.reshape(delta.shape), rescale)


def _bernoulli(delta, density, rescale):
    if density >= 1:
        return delta
    mask = torch.bernoulli(torch.full_like(delta, density))
    return _rescaled(delta, mask, rescale)


def _della_magprune(delta, density, epsilon, rescale):
    if density >= 1:
        return delta
    if density <= 0:
        return torch.zeros_like(delta)
    if not (density - epsilon > 0 and density + epsilon < 1):
        raise ValueError("della: density +/- epsilon must lie in (0, 1)")
    rows = delta if delta.dim() >= 2 else delta.unsqueeze(0)
    # Rank of |δ| within each row (along dim 1), mapped linearly to [density - eps, density + eps].
    ranks = rows.abs().argsort(dim=1).argsort(dim=1).float()
    lo = ranks.min(dim=1, keepdim=True).values
    hi = ranks.max(dim=1, keepdim=True).values
    probs = (density - epsilon) + ((ranks - lo) / (hi - lo)).clamp(0, 1) * 2 * epsilon
    mask = torch.bernoulli(probs)
    return _rescaled(rows, mask, rescale).reshape(delta.shape)


# ---------------------------------------------------------------------------------------------------------
# Generalized task arithmetic: task_arithmetic, ties, dare_*, breadcrumbs*, della*


def _gta(sparsifier, consensus, default_normalize, default_rescale):
    def merge(inputs, base, params, tensor_params, info):
        if base is None:
            raise ValueError("needs a base model")
        rescale = bool(_param(params, "rescale", default_rescale))
        normalize = bool(_param(params, "normalize", default_normalize))
        lam = float(_param(params, "lambda", 1.0))
        deltas = []
        for x, tp in zip(inputs, tensor_params):
            d = x - base
            density = float(tp.get("density", 1.0))
            if sparsifier == "magnitude":
                d = _magnitude(d, density, rescale)
            elif sparsifier == "magnitude_outliers":
                d = _magnitude_outliers(d, density, float(tp.get("gamma", 0.01)), rescale)
            elif sparsifier == "random":
                d = _bernoulli(d, density, rescale)
            elif sparsifier == "della_magprune":
                d = _della_magprune(d, density, float(tp.get("epsilon", 0.15)), rescale)
            deltas.append(d)
        w = torch.tensor(_weights(tensor_params), dtype=base.dtype)
        w = w.reshape([-1] + [1] * base.dim())
        weighted = torch.stack(deltas) * w
        if consensus:
            # TIES sign election on the weighted task vectors ("sum"): the sign of their sum (+ at 0);
            # an entry counts where its sign equals it (zeros never do). dtype: a bool mask, as mergekit.
            elected = torch.where(weighted.sum(0) >= 0, 1.0, -1.0)
            agree = weighted.sign() == elected
            mixed = (weighted * agree).sum(0)
            divisor = (w * agree).sum(0)
            divisor = torch.where(divisor == 0, torch.ones_like(divisor), divisor)
        else:
            mixed = weighted.sum(0)
            divisor = w.sum(0)
            divisor = torch.where(divisor.abs() < 1e-8, torch.ones_like(divisor), divisor)
        if normalize:
            mixed = mixed / divisor
        if lam != 1:  # dtype: mergekit scales only when lambda differs from 1 (one rounding less)
            mixed = _mul(mixed, lam)
        return base + mixed

    return merge


METHODS["task_arithmetic"] = _gta(None, False, False, False)
METHODS["ties"] = _gta("magnitude", True, True, False)
METHODS["dare_ties"] = _gta("random", True, False, True)
METHODS["dare_linear"] = _gta("random", False, False, True)
METHODS["breadcrumbs"] = _gta("magnitude_outliers", False, False, False)
METHODS["breadcrumbs_ties"] = _gta("magnitude_outliers", True, False, False)
METHODS["della"] = _gta("della_magprune", True, True, True)
METHODS["della_linear"] = _gta("della_magprune", False, False, True)


# ---------------------------------------------------------------------------------------------------------
# Model Stock, SCE, passthrough


@method("model_stock")
def model_stock(inputs, base, params, tensor_params, info):
    # t = N·cosθ / (1 + (N−1)·cosθ), cosθ the mean pairwise cosine of the task vectors; the result is
    # t·mean(inputs) + (1−t)·base. filter_wise: one ratio per vector along the LAST dimension (a 1-D
    # tensor is one vector); otherwise the whole tensor is one vector.
    if base is None or len(inputs) < 2:
        raise ValueError("model_stock needs a base and at least two other models")
    shape = base.shape
    if _param(params, "filter_wise", False):
        as_vectors = (lambda x: x.reshape(1, -1)) if base.dim() <= 1 else (lambda x: x)
    else:
        as_vectors = lambda x: x.reshape(-1)  # noqa: E731
    w0 = as_vectors(base)
    ws = [as_vectors(x) for x in inputs]
    offsets = [w - w0 for w in ws]
    cosines = []
    for i in range(len(offsets)):
        for j in range(i + 1, len(offsets)):
            a, b = offsets[i], offsets[j]
            norms = (torch.linalg.norm(a, dim=-1) * torch.linalg.norm(b, dim=-1)).clamp(min=1e-6)
            cosines.append(((a * b).sum(-1) / norms).clamp(-1, 1))
    cos = _mean(torch.stack(cosines), 0).unsqueeze(-1)
    n = len(ws)
    t = n * cos / (1 + (n - 1) * cos)
    mean = sum(ws) / n
    return (t * mean + (1 - t) * w0).reshape(shape)


@method("sce")
def sce(inputs, base, params, tensor_params, info):
    # Select (keep the select_topk fraction of positions with the highest variance across task vectors),
    # Calculate (per-model weight = mean of its squared task vector, normalized; equal weights when the sum
    # is below 1e-6), Erase (TIES sign election on the unweighted task vectors), then the weighted mean of
    # the agreeing entries (divisor clamped to >= 1e-6). Per-model weights are not used.
    if base is None:
        raise ValueError("sce needs a base model")
    tv = torch.stack([x - base for x in inputs])
    topk = float(_param(params, "select_topk", 1.0))
    if topk < 1:
        var = tv.var(dim=0, unbiased=False)
        k = int(int((var != 0).sum()) * topk)
        mask = torch.zeros_like(var).reshape(-1)  # dtype: the mask in the tensors' dtype (mergekit)
        if k > 0:
            # mergekit's topk leaves the order of equal variances to torch; ties by index here.
            mask[torch.sort(var.abs().reshape(-1).float(), descending=True, stable=True).indices[:k]] = 1
        tv = tv * mask.reshape(var.shape)
    energy = _mean((tv**2).reshape(len(inputs), -1), 1)
    total = float(energy.sum())
    weights = torch.ones_like(energy) / len(inputs) if abs(total) < 1e-6 else _div(energy, total)
    weights = weights.reshape([-1] + [1] * base.dim())
    elected = torch.where(tv.sum(0) >= 0, 1.0, -1.0)
    agree = tv.sign() == elected  # dtype: a bool mask keeps the products in the tensors' dtype
    w = weights * agree
    return base + (tv * w).sum(0) / w.sum(0).clamp(min=1e-6)


@method("passthrough")
def passthrough(inputs, base, params, tensor_params, info):
    if len(inputs) != 1:
        raise ValueError("passthrough takes exactly one model")
    scale = tensor_params[0].get("scale")
    return inputs[0] if scale is None else inputs[0] * float(scale)


# ---------------------------------------------------------------------------------------------------------
# NearSwap, Arcee Fusion, RAM, RAM+ (from docs/merge_methods.md; the details it leaves open, marked
# "mergekit:", from nearswap.py, arcee_fusion.py and ram.py). None uses per-model parameters or weights.


def _base_and_one(name, inputs, base):
    if base is None:
        raise ValueError(f"{name} needs a base model")
    if len(inputs) != 1:
        raise ValueError(f"{name} expects exactly two models, one base and one other")
    return base, inputs[0]


@method("nearswap")
def nearswap(inputs, base, params, tensor_params, info):
    # weight = (t / |base − secondary|).clamp(0, 1); weight·secondary + (1 − weight)·base.
    # mergekit: t is required; the distance is clamped to >= 1e-6 first.
    if "t" not in params:
        raise ValueError("nearswap needs parameter t")
    a, b = _base_and_one("nearswap", inputs, base)
    t = float(params["t"])
    # t / x is torch's reciprocal(x) * t.
    weight = _mul(torch.reciprocal(torch.abs(a - b).clamp(min=1e-6)), t).clamp(min=0, max=1)
    return weight * b + (1 - weight) * a


@method("arcee_fusion")
def arcee_fusion(inputs, base, params, tensor_params, info):
    # Importance of each change: |Δ| times the KL divergence of the softmaxed rows (last dim) of the model
    # from the base's; a change is kept when its importance reaches median + 1.5·IQR of all importances.
    # mergekit: eps 1e-8 added to both softmaxes; quantile q is sorted[int(q·(n−1))] (a random sample of 10⁶
    # entries above 10⁶; the cases here stay below).
    a, b = _base_and_one("arcee_fusion", inputs, base)
    p = torch.softmax(b, dim=-1) + 1e-8
    q = torch.softmax(a, dim=-1) + 1e-8
    kl = torch.sum(p * torch.log(p / q), dim=-1, keepdim=True)
    importance = (b - a).abs() * kl
    ordered = torch.sort(importance.reshape(-1)).values
    if ordered.numel() > 1_000_000:
        raise ValueError("arcee_fusion reference: mergekit samples the quantiles above 10^6 entries")

    def quantile(x):
        return ordered[int(torch.tensor(x, dtype=torch.float32) * (ordered.numel() - 1))]

    threshold = quantile(0.5) + 1.5 * (quantile(0.75) - quantile(0.25))
    keep = (importance >= threshold).float()
    return a + (b - a) * keep


def _ram(inputs, base, params, lambdas_of):
    # Per entry, classify by the number of models whose task vector is above epsilon there: none keeps the
    # base, one keeps that model's change (scaled by λ for RAM+), several are averaged.
    # dtype: as mergekit, one stacked sum over the models (rounded once); RAM+'s float32 λ makes its
    # unique terms, and so the sum, float32.
    if base is None:
        raise ValueError("ram needs a base model")
    eps = float(_param(params, "epsilon", 1e-5))
    tv = torch.stack([x - base for x in inputs]).reshape(len(inputs), -1)
    active = tv.abs() > eps
    count = active.sum(0, keepdim=True)
    unique = count == 1
    shared = count > 1
    changes = tv * active
    lam = lambdas_of(active, unique, shared, eps)  # one per model, or None (RAM)
    unique_part = changes * unique if lam is None else changes * unique * lam.unsqueeze(-1)
    merged = (unique_part + changes * shared / count.clamp(min=1)).sum(0, keepdim=True)
    return base + merged.reshape(base.shape)


@method("ram")
def ram(inputs, base, params, tensor_params, info):
    return _ram(inputs, base, params, lambda active, unique, shared, eps: None)


@method("ramplus_tl")
def ramplus_tl(inputs, base, params, tensor_params, info):
    # λ_i = 1 + r·clip(ρ_i, 0, α), ρ_i = (model i's shared entries) / (its unique entries) in this tensor.
    # mergekit: the unique count is clamped to >= epsilon before dividing.
    r = float(_param(params, "r", 0.1))
    alpha = float(_param(params, "alpha", 0.2))

    def lambdas(active, unique, shared, eps):
        n_shared = (active & shared).sum(1)
        n_unique = (active & unique).sum(1)
        rho = n_shared / n_unique.clamp(min=eps)  # float32 counts (mergekit: int64 clamped by a float)
        return 1 + r * rho.clamp(min=0, max=alpha)

    return _ram(inputs, base, params, lambdas)
