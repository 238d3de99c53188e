"""Workarounds applied in memory while one exporter runs, and undone afterwards.

The user's copy of the official code is never edited: a workaround replaces a function of an
already imported module (found in sys.modules by its name in the official layout, so the NVlabs
repositories and GANsformer's copy of their ops are all covered) or registers an ONNX symbolic
with the legacy exporter (which then stays registered in the process, see _symbolic). Each one
says what it fixes; `applied(kind)` reports which ones took effect during the export, for the
descriptor's provenance.

legacy ONNX exporter (torch.onnx.export on TorchScript tracing, opset 17):
- static-conv-kernels: the reference `upfirdn2d` repeats its filter to `x.shape[1]` channels and
  StyleGAN3's modulated convolution reshapes its weight with traced sizes, so the exporter sees a
  convolution "for kernel of unknown shape" and refuses it. The sizes are cast to int before the
  call (what the official code would do with `int(num_channels)`); values are unchanged.
- affine-grid: `aten::affine_grid_generator` (StyleGAN3's input grid) has no symbolic below opset
  20; it is written as a constant base grid times theta transposed (MatMul), exact for the 2-D case.
- tile: `aten::tile` (GANsformer's attention) has no symbolic in torch 1.13; it is exported like
  Tensor.repeat, which it equals when given at least as many sizes as the tensor has dimensions.
TorchScript tracing:
- plain-fma: `torch_utils.ops.fma.fma`, an autograd Function (used with fused_modconv=False), is
  traced as a Python call that torch.jit.save refuses ("Could not export Python function call");
  it becomes the expression a * b + c (the same values up to rounding).
"""
import contextlib
import sys

LEGACY_ONNX = "legacy-onnx"
TORCHSCRIPT = "torchscript"
LEGACY_OPSET = 17  # the highest opset of torch 1.13's exporter; ONNX Runtime runs it everywhere


def _official_modules(suffix):
    """Imported modules named like the official `torch_utils.ops.<op>` (under any package prefix)."""
    return [m for name, m in list(sys.modules.items()) if m is not None and (name == suffix or name.endswith("." + suffix))]


def _replace(modules, attr, make):
    """Sets module.attr = make(old) on each module that has attr; returns an undo function, or None
    when no module has it."""
    saved = [(m, getattr(m, attr)) for m in modules if callable(getattr(m, attr, None))]
    if not saved:
        return None
    for m, old in saved:
        setattr(m, attr, make(old))

    def undo():
        for m, old in saved:
            setattr(m, attr, old)

    return undo


def static_conv_kernels(used):
    def static_kernel(conv):
        def call(input, weight, *args, **kwargs):
            used()
            return conv(input, weight.reshape([int(d) for d in weight.shape]), *args, **kwargs)

        return call

    mods = _official_modules("torch_utils.ops.conv2d_gradfix")
    undos = [u for u in (_replace(mods, "conv2d", static_kernel), _replace(mods, "conv_transpose2d", static_kernel)) if u]
    if not undos:
        return None
    return lambda: [u() for u in undos]


def plain_fma(used):
    def fma(a, b, c):
        used()
        return a * b + c

    return _replace(_official_modules("torch_utils.ops.fma"), "fma", lambda old: fma)


def _affine_grid_symbolic(used):
    import numpy as np
    import torch
    from torch.onnx import symbolic_helper

    @symbolic_helper.parse_args("v", "is", "b")
    def affine_grid(g, theta, size, align_corners):
        used()
        if len(size) != 4:
            raise RuntimeError("affine-grid workaround: only 2-D grids (size of 4 values), got %s" % (size,))
        n, _, h, w = size

        def axis(k):  # pixel centres in [-1, 1], as torch.nn.functional.affine_grid places them
            return np.linspace(-1, 1, k) if align_corners else (2 * np.arange(k) + 1) / k - 1

        ys, xs = np.meshgrid(axis(h), axis(w), indexing="ij")
        base = np.stack([xs, ys, np.ones_like(xs)], -1).reshape(1, h * w, 3).astype(np.float32)
        grid = g.op("MatMul", g.op("Constant", value_t=torch.from_numpy(base)), g.op("Transpose", theta, perm_i=[0, 2, 1]))
        return g.op("Reshape", grid, g.op("Constant", value_t=torch.tensor([n, h, w, 2], dtype=torch.int64)))

    return affine_grid


def _tile_symbolic(used):
    from torch.onnx import symbolic_opset9

    def tile(g, x, dims):
        used()
        return symbolic_opset9.repeat(g, x, dims)

    return tile


_SYMBOLICS = {}  # name -> [the `used` callback of the export running now]


def _symbolic(name, make, used):
    """Registers the symbolic `make` builds for `name` at LEGACY_OPSET, once per process: torch 1.13
    cannot unregister one cleanly (its dispatcher then fails on an empty version list), so it stays
    registered, where it only ever replaces an "unsupported operator" error. The undo stops reporting."""
    import torch

    register = getattr(torch.onnx, "register_custom_op_symbolic", None)
    if register is None:
        return None
    current = _SYMBOLICS.get(name)
    if current is None:
        current = [used]
        try:
            fn = make(lambda: current[0]())
        except ImportError:  # this torch moved the legacy exporter's helpers: the workaround does not apply
            return None
        register(name, fn, LEGACY_OPSET)
        _SYMBOLICS[name] = current
    current[0] = used
    return lambda: current.__setitem__(0, lambda: None)


WORKAROUNDS = {
    LEGACY_ONNX: [
        ("static-conv-kernels", static_conv_kernels),
        ("affine-grid", lambda used: _symbolic("aten::affine_grid_generator", _affine_grid_symbolic, used)),
        ("tile", lambda used: _symbolic("aten::tile", _tile_symbolic, used)),
    ],
    TORCHSCRIPT: [("plain-fma", plain_fma)],
}


@contextlib.contextmanager
def applied(kind):
    """Applies the workarounds of `kind` (LEGACY_ONNX or TORCHSCRIPT) for the duration of the block.
    Yields a list that holds, once the block is done, the names of those that were used."""
    names, undos = [], []

    def marker(name):
        def used():
            if name not in names:
                names.append(name)

        return used

    try:
        for name, apply in WORKAROUNDS[kind]:
            undo = apply(marker(name))
            if undo is not None:
                undos.append(undo)
        yield names
    finally:
        for undo in reversed(undos):
            undo()
