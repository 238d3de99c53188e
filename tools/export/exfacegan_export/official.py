"""Loading networks with the user's checkout of the official code, and the modules the export traces.

The official code is imported from PYTHONPATH, never shipped; nothing here edits it."""
import importlib.abc
import importlib.machinery
import sys
import types

from .cli import fail


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Supplies empty modules for optional imports of the official code that are not installed."""

    def __init__(self, roots):
        self.roots = set(roots)

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.roots:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


class _StubModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        name = self.__name__ + "." + attr

        def unavailable(*args, **kwargs):
            raise RuntimeError(name + " is not installed (stubbed by the exfacegan export script)")

        return unavailable


def tolerate_missing(*roots):
    """Lets `import gdown` etc. succeed with a stub when the package is absent (e.g. distutils on
    Python 3.12+). The finder goes last, so installed packages are always used."""
    missing = []
    for root in roots:
        try:
            __import__(root)
        except Exception:  # absent or broken on this Python: stub it
            sys.modules.pop(root, None)
            missing.append(root)
    if missing:
        sys.meta_path.append(_StubFinder(missing))
        print("note: stubbing absent optional modules:", ", ".join(missing))


def import_torch():
    try:
        import torch
    except ImportError:
        fail("PyTorch is not installed for %s (pip install torch, or Debian's apt-get install python3-torch)"
             % sys.executable)
    return torch


def load_pickle_generator(path, loader):
    """Runs loader(path) and returns the generator module in eval mode on the CPU in float32."""
    torch = import_torch()
    try:
        G = loader(path)
    except Exception as e:  # a truncated file, another project's pickle, a missing module of the official code
        fail("cannot load the network pickle %s: %s: %s" % (path, type(e).__name__, e))
    if not isinstance(G, torch.nn.Module):
        fail("%s holds a %s, not a generator module" % (path, type(G).__name__))
    G = G.eval().requires_grad_(False).to("cpu").float()
    if getattr(G, "c_dim", 0):
        fail("%s: conditional generators (c_dim = %d) are not supported" % (path, G.c_dim))
    torch.set_grad_enabled(False)
    return G


def nvlabs_generator(args, checkout):
    """G_ema of an NVlabs (stylegan2-ada-pytorch / stylegan3) pickle, loaded with that checkout's code."""
    import_torch()
    try:
        import dnnlib
        import legacy
    except ImportError as e:
        fail("put your checkout of %s on PYTHONPATH (%s)" % (checkout, e))

    def load(path):
        with dnnlib.util.open_url(path) as f:
            return legacy.load_network_pkl(f)["G_ema"]

    return load_pickle_generator(args.pickle, load)


def call_with_buffer(module, path, value, args, kwargs):
    """module(*args, **kwargs) while its buffer at `path` (e.g. "input.transform") is `value`; the
    module's own tensor is left as it was. torch.func.functional_call (torch.nn.utils.stateless on
    torch 1.13) does this in eager mode and for torch 2's dynamo exporter; tracing (TorchScript, the
    legacy ONNX exporter) refuses that "stateless API", so there the buffer is swapped in place for
    the duration of the call."""
    import torch

    if not torch.jit.is_tracing():
        functional_call = getattr(getattr(torch, "func", None), "functional_call", None)
        if functional_call is None:
            from torch.nn.utils.stateless import functional_call
        return functional_call(module, {path: value}, tuple(args), kwargs)
    owner_path, _, name = path.rpartition(".")
    owner = module.get_submodule(owner_path) if owner_path else module
    saved = owner._buffers[name]
    owner._buffers[name] = value
    try:
        return module(*args, **kwargs)
    finally:
        owner._buffers[name] = saved


def nvlabs_modules(G, transform_input=False, **synthesis_kwargs):
    """Mapping z -> w (one copy, untruncated: the official mapping broadcasts num_ws identical ones)
    and synthesis ws -> img with the given keyword arguments, as modules to export. With
    transform_input (StyleGAN3), the synthesis takes a second input, the [3, 3] matrix that replaces
    the buffer G.synthesis.input.transform for that call."""
    import torch

    class Mapping(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.mapping = G.mapping

        def forward(self, z):
            return self.mapping(z, None, truncation_psi=1)[:, 0]

    class Synthesis(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.synthesis = G.synthesis

        def forward(self, ws):
            return self.synthesis(ws, **synthesis_kwargs)

    class TransformedSynthesis(Synthesis):
        def forward(self, ws, transform):
            return call_with_buffer(self.synthesis, "input.transform", transform, (ws,), synthesis_kwargs)

    return Mapping().eval(), (TransformedSynthesis() if transform_input else Synthesis()).eval()


def nvlabs_official(G, cutoff, **synthesis_kwargs):
    """The official generator call G(z, c, psi, cutoff) the export must reproduce, as f(z, psi, transform).
    A transform (StyleGAN3) is set into G's buffer the way NVlabs' gen_images.py does, then restored."""

    def official(z, psi, transform=None):
        if transform is None:
            return G(z, None, truncation_psi=psi, truncation_cutoff=cutoff, **synthesis_kwargs)
        buffer = G.synthesis.input.transform
        saved = buffer.clone()
        buffer.copy_(transform)
        try:
            return G(z, None, truncation_psi=psi, truncation_cutoff=cutoff, **synthesis_kwargs)
        finally:
            buffer.copy_(saved)

    return official
