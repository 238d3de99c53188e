"""Shared helpers of the exfacegan export scripts (stylegan2_ada_export.py, stylegan3_export.py,
gansformer_export.py): argument parsing, ONNX export with the dynamo exporter, TorchScript
tracing, numerical checks against PyTorch and writing the model descriptor
(docs/backbones/descriptor.md).

Nothing here imports torch at module load, so `--help` works without it. The official generator
code is the user's own checkout on PYTHONPATH; it is imported by the scripts, never shipped.
"""
import argparse
import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import sys
import types

DESCRIPTOR_VERSION = 1
MAPPING_OPSET = 18
STATIC_OPSET = 20  # affine_grid (StyleGAN3) and GANsformer's synthesis need opset 20


def parser(description, default_static_batch):
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pickle", help="official network pickle (.pkl)")
    ap.add_argument("--out", required=True, help="output folder for descriptor.json, graphs and w_avg.npy")
    ap.add_argument("--static-batch", type=int, default=default_static_batch,
                    help="batch size baked into the synthesis graph, 0 = dynamic (default: %(default)s)")
    ap.add_argument("--check-samples", type=int, default=4,
                    help="latents compared against PyTorch after export (default: %(default)s)")
    ap.add_argument("--check-psi", type=float, default=0.7, help="truncation psi of the checked w+ (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the check latents (default: %(default)s)")
    ap.add_argument("--no-torchscript", action="store_true", help="skip the TorchScript (.pt) export for DJL")
    ap.add_argument("--skip-check", action="store_true", help="do not run the exported graphs (needs onnxruntime otherwise)")
    ap.add_argument("--tolerance", type=float, default=1e-3,
                    help="largest accepted max |diff| between export and PyTorch (default: %(default)s)")
    return ap


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


def load_pickle_generator(path, loader):
    """Runs loader(path) and returns the generator module in eval mode on the CPU in float32."""
    import torch

    G = loader(path)
    G = G.eval().requires_grad_(False).to("cpu").float()
    if getattr(G, "c_dim", 0):
        sys.exit("error: conditional generators (c_dim = %d) are not supported" % G.c_dim)
    torch.set_grad_enabled(False)
    return G


def nvlabs_generator(args, checkout):
    """G_ema of an NVlabs (stylegan2-ada-pytorch / stylegan3) pickle, loaded with that checkout's code."""
    try:
        import dnnlib
        import legacy
    except ImportError as e:
        sys.exit("error: put your checkout of %s on PYTHONPATH (%s)" % (checkout, e))

    def load(path):
        with dnnlib.util.open_url(path) as f:
            return legacy.load_network_pkl(f)["G_ema"]

    return load_pickle_generator(args.pickle, load)


def nvlabs_modules(G, **synthesis_kwargs):
    """Mapping z -> w (one copy, untruncated: the official mapping broadcasts num_ws identical ones)
    and synthesis ws -> img with the given keyword arguments, as modules to export."""
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

    return Mapping().eval(), Synthesis().eval()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_onnx(module, example, path, input_name, output_name, static_batch, opset):
    """Exports with the dynamo exporter (the legacy TorchScript-based one fails on these generators).
    A dynamic batch is requested unless static_batch > 0. Returns the external data file name or None."""
    import torch

    # weights go to `<graph>.data` beside the graph when the exporter decides so (detected below)
    kwargs = dict(input_names=[input_name], output_names=[output_name], opset_version=opset, dynamo=True)
    if static_batch == 0:
        kwargs["dynamic_shapes"] = ({0: torch.export.Dim("batch")},)
    if os.path.exists(path + ".data"):
        os.remove(path + ".data")
    torch.onnx.export(module, (example,), path, **kwargs)
    data = path + ".data"
    print("wrote", path, "(%d bytes)" % os.path.getsize(path))
    return os.path.basename(data) if os.path.exists(data) else None


def run_onnx(path, input_name, x):
    try:
        import onnxruntime
    except ImportError:
        sys.exit("error: the check needs onnxruntime (pip install onnxruntime), or pass --skip-check")
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {input_name: x.numpy()})[0]


def max_diff(a, b):
    import numpy as np

    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def io_json(input_name, input_shape, output_name, output_shape):
    return json.dumps({"inputs": [{"name": input_name, "shape": input_shape}],
                       "outputs": [{"name": output_name, "shape": output_shape}]})


def export_torchscript(module, example, path, io, bigger):
    """Traces module on example and saves it with its I/O description for the djl-pytorch runtime.
    Returns (max |diff| on example, True when the trace also runs `bigger` (another batch size) exactly)."""
    import torch

    traced = torch.jit.trace(module, (example,), check_trace=False)
    torch.jit.save(traced, path, _extra_files={"exfacegan.json": io})
    print("wrote", path, "(%d bytes)" % os.path.getsize(path))
    loaded = torch.jit.load(path)
    diff = max_diff(loaded(example), module(example))
    try:
        dynamic = max_diff(loaded(bigger), module(bigger)) <= 1e-4
    except Exception as e:  # a batch baked into the trace
        print("note: the traced module does not run batch", bigger.shape[0], "(", type(e).__name__, "); static batch")
        dynamic = False
    return diff, dynamic


def check(label, diff, tolerance, failures):
    print("%-40s max |diff| = %.3g" % (label, diff))
    if not diff <= tolerance:
        failures.append("%s: max |diff| %.3g > %.3g" % (label, diff, tolerance))


def write_npy(path, array):
    import numpy as np

    np.save(path, np.ascontiguousarray(array, dtype="<f4"))


def graph_entry(file, static_batch=0, external_data=None):
    e = {"file": file}
    if static_batch:
        e["static_batch"] = static_batch
    if external_data:
        e["external_data"] = external_data
    return e


def write_descriptor(out, backbone, z_dim, w_dim, num_ws, resolution, mapping, synthesis, source, components=None):
    d = {"format_version": DESCRIPTOR_VERSION, "backbone": backbone, "format": "onnx",
         "z_dim": int(z_dim), "w_dim": int(w_dim), "num_ws": int(num_ws)}
    if components:
        d["components"] = int(components)
    d.update({"resolution": int(resolution), "output_range": [-1, 1], "channel_order": "RGB", "image_layout": "NCHW",
              "w_avg": "w_avg.npy",
              "mapping": dict({"input": "z", "output": "w"}, **mapping),
              "synthesis": dict({"input": "ws", "output": "img"}, **synthesis),
              "source": source})
    path = os.path.join(out, "descriptor.json")
    with open(path, "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    print("wrote", path)
    return path


def source_info(pickle_path, script, extra):
    import torch

    info = {"pickle": os.path.basename(pickle_path), "pickle_sha256": sha256(pickle_path), "exporter": script,
            "torch": torch.__version__}
    info.update(extra)
    return info


def replace_fma():
    """torch.jit.trace fails on the _FusedMultiplyAdd autograd function used with fused_modconv=False;
    the plain expression traces and computes the same values."""
    try:
        from torch_utils.ops import fma
    except ImportError:
        return
    fma.fma = lambda a, b, c: a * b + c


def truncate(w, w_avg, psi, cutoff, num_ws):
    """w [n, (k,) D] -> w+ [n, (k,) L, D] pulled toward w_avg [(k,) D] on the first `cutoff` copies
    (what the exfacegan backbones do)."""
    ws = w.unsqueeze(-2).repeat_interleave(num_ws, dim=-2).clone()
    avg = w_avg.unsqueeze(-2)
    ws[..., :cutoff, :] = avg + psi * (ws[..., :cutoff, :] - avg)
    return ws


def _in_chunks(fn, x, chunk):
    """fn over x in chunks of exactly `chunk` rows (the last padded by repeating its last row)."""
    import numpy as np

    outs = []
    for i in range(0, x.shape[0], chunk):
        part = x[i:i + chunk]
        real = part.shape[0]
        if real < chunk:
            part = part[np.r_[np.arange(real), np.full(chunk - real, real - 1)]]
        outs.append(np.asarray(fn(part))[:real])
    return np.concatenate(outs)


def export_generator(args, backbone, script, mapping, synthesis, z_item, w_avg, num_ws, resolution,
                     synthesis_opset, components=None, source_extra=None):
    """Exports mapping (z -> w, dynamic batch) and synthesis (w+ -> img, static batch when
    args.static_batch > 0) as ONNX and, unless --no-torchscript, TorchScript; checks both against the
    eager modules on args.check_samples latents; writes w_avg.npy and descriptor.json."""
    import torch

    out = args.out
    os.makedirs(out, exist_ok=True)
    sb = args.static_batch
    n = max(args.check_samples, 2)
    gen = torch.Generator().manual_seed(args.seed)
    z = torch.randn([n] + list(z_item), generator=gen)
    w = mapping(z)
    w_dim = int(w.shape[-1])
    ws = truncate(w, w_avg, args.check_psi, 8, num_ws)
    img = synthesis(ws[:sb] if sb else ws)
    print("mapping %s -> %s, synthesis %s -> %s" % (list(z.shape), list(w.shape), list(ws.shape), list(img.shape)))
    write_npy(os.path.join(out, "w_avg.npy"), w_avg.numpy())
    failures = []

    map_path = os.path.join(out, "mapping.onnx")
    syn_path = os.path.join(out, "synthesis.onnx")
    map_data = export_onnx(mapping, z[:2], map_path, "z", "w", 0, MAPPING_OPSET)
    syn_data = export_onnx(synthesis, ws[:sb] if sb else ws[:2], syn_path, "ws", "img", sb, synthesis_opset)
    diffs = {}
    if not args.skip_check:
        diffs["onnx_mapping"] = max_diff(run_onnx(map_path, "z", z), w)
        check("ONNX mapping vs PyTorch", diffs["onnx_mapping"], args.tolerance, failures)
        expected = _in_chunks(lambda x: synthesis(x), ws, sb) if sb else synthesis(ws)
        got = _in_chunks(lambda x: run_onnx(syn_path, "ws", x), ws, sb) if sb else run_onnx(syn_path, "ws", ws)
        diffs["onnx_synthesis"] = max_diff(got, expected)
        check("ONNX synthesis vs PyTorch", diffs["onnx_synthesis"], args.tolerance, failures)

    mapping_entry = {"onnx": graph_entry("mapping.onnx", 0, map_data)}
    synthesis_entry = {"onnx": graph_entry("synthesis.onnx", sb, syn_data)}
    if not args.no_torchscript:
        replace_fma()
        lead = [-1] + ([components] if components else [])
        try:
            d, _ = export_torchscript(mapping, z[:2], os.path.join(out, "mapping.pt"),
                                      io_json("z", lead + [int(z.shape[-1])], "w", lead + [w_dim]), z)
            diffs["torchscript_mapping"] = d
            check("TorchScript mapping vs PyTorch", d, args.tolerance, failures)
            trace_batch = sb if sb else 2
            io = io_json("ws", lead + [num_ws, w_dim], "img", [-1, 3, resolution, resolution])
            d, dynamic = export_torchscript(synthesis, ws[:trace_batch], os.path.join(out, "synthesis.pt"), io,
                                            ws[:trace_batch + 1] if n > trace_batch else torch.cat([ws, ws])[:trace_batch + 1])
            diffs["torchscript_synthesis"] = d
            check("TorchScript synthesis vs PyTorch", d, args.tolerance, failures)
            mapping_entry["torchscript"] = graph_entry("mapping.pt")
            synthesis_entry["torchscript"] = graph_entry("synthesis.pt", 0 if dynamic else trace_batch)
        except Exception as e:  # TorchScript is optional: report and keep the ONNX export
            print("note: TorchScript export failed (%s: %s); the descriptor lists ONNX only" % (type(e).__name__, e))
            for f in ("mapping.pt", "synthesis.pt"):
                if os.path.exists(os.path.join(out, f)):
                    os.remove(os.path.join(out, f))

    source = source_info(args.pickle, script, dict(source_extra or {}, check_max_abs_diff=diffs,
                                                   check_samples=n, check_psi=args.check_psi))
    write_descriptor(out, backbone, z.shape[-1], w_dim, num_ws, resolution, mapping_entry, synthesis_entry, source,
                     components)
    finish(failures)


def finish(failures):
    if failures:
        print("EXPORT CHECK FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("export checked: all differences within tolerance")
