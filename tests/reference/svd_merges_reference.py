"""An independent PyTorch implementation of the singular-vector merges Iso-C, Iso-CTS (Marczak et al., ICML 2025,
"No Task Left Behind: Isotropic Model Merging with Common and Task-Specific Subspaces") and TSV-M (Gargiulo et
al., CVPR 2025, "Task Singular Vectors: Reducing Task Interference in Model Merging"), the reference
Merganser's tests compare against (run_cases.py runs it; the call is mergekit_reference.py's):

    fn(inputs, base, params, tensor_params, info) -> torch.Tensor

Written from the papers' equations and laid out as the papers' code (github.com/danielm1405/iso-merging,
github.com/AntoAndGar/task_singular_vectors): the stacked singular vectors padded with zeros to the full rank,
Python's round(), U U^T tau for the projection. Not written from Merganser's C++. Computed in float64, so that
the comparison measures Merganser's float32 error, not the reference's.

Where the papers' code and Merganser's definition (docs/spec/merge-methods.md) differ on purpose, this
follows the definition and says so ("definition:"): tensors of fewer than 2 dimensions get task arithmetic
(the papers' code averages them), tensors of more than 2 are flattened to [shape[0], -1] (the code averages
them), task vectors are scaled by the input weights (the code has none), and a matrix too small to give each
task a direction falls back to task arithmetic (tsv) or to Iso-C (iso_cts).
"""

import torch

from method_registry import registry

METHODS, method = registry()


def _task_vectors(inputs, base, tensor_params):
    if base is None:
        raise ValueError("needs a base model")
    # definition: tau_i = w_i (theta_i - theta_0).
    return [float(tp.get("weight", 1.0)) * (x.double() - base.double()) for x, tp in zip(inputs, tensor_params)]


def _is_matrix(base):
    return base.dim() >= 2 and base.numel() > 0


def _as_matrix(t):
    return t.reshape(t.shape[0], -1)


def _matrices(taus):
    # The task vectors as matrices, their shape [m, n], the rank bound r = min(m, n) and the task count.
    mats = [_as_matrix(t) for t in taus]
    m, n = mats[0].shape
    return mats, m, n, min(m, n), len(mats)


def _out(base, delta, params):
    return base.double() + float(params.get("lambda", 1.0)) * delta.reshape(base.shape)


def _procrustes(x):
    """The orthonormal matrix nearest to x: U V^T of its SVD."""
    u, _, vh = torch.linalg.svd(x, full_matrices=False)
    return u @ vh


def _iso_c_delta(m):
    u, s, vh = torch.linalg.svd(m, full_matrices=False)
    s_iso = torch.ones_like(s) * s.mean()
    return u @ torch.diag(s_iso) @ vh


@method("iso_c")
def iso_c(inputs, base, params, tensor_params, info):
    taus = _task_vectors(inputs, base, tensor_params)
    total = sum(taus)
    if not _is_matrix(base):
        return _out(base, total, params)  # definition: task arithmetic
    return _out(base, _iso_c_delta(_as_matrix(total)), params)


@method("iso_cts")
def iso_cts(inputs, base, params, tensor_params, info):
    fraction = float(params.get("common_fraction", 0.8))
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"common_fraction {fraction} outside [0, 1]")
    taus = _task_vectors(inputs, base, tensor_params)
    if not _is_matrix(base):
        return _out(base, sum(taus), params)
    mats, m, n, r, tasks = _matrices(taus)

    common = int(r * fraction)
    per_task = round((r - common) / tasks)  # the paper's code: Python's round (half to even)
    while per_task * tasks > r:  # definition: the paper's code would index out of range here
        per_task -= 1
    common = r - per_task * tasks

    u, s, vh = torch.linalg.svd(sum(mats), full_matrices=False)
    u_c, s_c, vh_c = u[:, :common], s[:common], vh[:common, :]

    stacked_u = torch.zeros(m, r, dtype=torch.float64)
    stacked_s = torch.zeros(r, dtype=torch.float64)
    stacked_vh = torch.zeros(r, n, dtype=torch.float64)
    for i, w in enumerate(mats):
        w_ts = w - u_c @ u_c.T @ w
        u_ts, s_ts, vh_ts = torch.linalg.svd(w_ts, full_matrices=False)
        block = slice(i * per_task, (i + 1) * per_task)
        stacked_u[:, block] = u_ts[:, :per_task]
        stacked_s[block] = s_ts[:per_task]
        stacked_vh[block, :] = vh_ts[:per_task, :]
    rest = slice(tasks * per_task, tasks * per_task + common)
    stacked_u[:, rest] = u_c
    stacked_s[rest] = s_c
    stacked_vh[rest, :] = vh_c

    stacked_u = _procrustes(stacked_u)
    stacked_vh = _procrustes(stacked_vh)
    s_iso = torch.ones_like(stacked_s) * stacked_s.mean()
    return _out(base, stacked_u @ torch.diag(s_iso) @ stacked_vh, params)


@method("tsv")
def tsv(inputs, base, params, tensor_params, info):
    taus = _task_vectors(inputs, base, tensor_params)
    if not _is_matrix(base):
        return _out(base, sum(taus), params)
    mats, m, n, r, tasks = _matrices(taus)
    k = int(r / tasks)
    if k == 0:  # definition: task arithmetic (the paper's code would keep nothing)
        return _out(base, sum(taus), params)

    sum_u = torch.zeros(m, r, dtype=torch.float64)
    sum_s = torch.zeros(r, dtype=torch.float64)
    sum_vh = torch.zeros(r, n, dtype=torch.float64)
    for i, w in enumerate(mats):
        u, s, vh = torch.linalg.svd(w, full_matrices=False)
        block = slice(i * k, (i + 1) * k)
        sum_u[:, block] = u[:, :k]
        sum_s[block] = s[:k]
        sum_vh[block, :] = vh[:k, :]
    u_u, _, vh_u = torch.linalg.svd(sum_u, full_matrices=False)
    u_v, _, vh_v = torch.linalg.svd(sum_vh, full_matrices=False)
    return _out(base, torch.linalg.multi_dot((u_u, vh_u, torch.diag(sum_s), u_v, vh_v)), params)
