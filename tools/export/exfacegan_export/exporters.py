"""The ONNX exporter the installed torch supports, and TorchScript tracing.

- dynamo: torch.onnx.export(..., dynamo=True), torch >= 2.5 with onnx and onnxscript installed.
  Measured on torch 2.11 (DESIGN.md section 4): StyleGAN2 with a dynamic batch, StyleGAN3 and
  GANsformer with a static batch at opset 20. No workaround is applied to it.
- legacy: the TorchScript-based torch.onnx.export (every torch; `dynamo=False` where the argument
  exists, since torch 2.9 defaults to dynamo) at opset 17, with the workarounds of workarounds.py.
"""
import contextlib
import inspect
import os
import warnings

from . import workarounds
from .cli import fail

DYNAMO = "dynamo"
LEGACY = "legacy"


def _export_parameters(torch):
    return inspect.signature(torch.onnx.export).parameters


def dynamo_unavailable(torch):
    """None when torch.onnx.export(dynamo=True) can run here, else the reason it cannot."""
    if "dynamo" not in _export_parameters(torch) or not hasattr(torch, "export"):
        return "torch %s has no torch.onnx.export(..., dynamo=True) (it needs torch >= 2.5)" % torch.__version__
    for package in ("onnx", "onnxscript"):
        try:
            __import__(package)
        except ImportError:
            return "the dynamo exporter needs the %s package, which is not installed (pip install onnx onnxscript)" % package
    return None


def exporter_chain(choice, torch):
    """The exporters to try in order for --onnx-exporter `choice`, and notes on the ones skipped."""
    if choice == "none":
        return [], ["ONNX export skipped (--onnx-exporter none): TorchScript only"]
    if choice == LEGACY:
        return [LEGACY], []
    reason = dynamo_unavailable(torch)
    if choice == DYNAMO:
        if reason:
            fail("--onnx-exporter dynamo: " + reason)
        return [DYNAMO], []
    if reason:
        return [LEGACY], ["dynamo exporter skipped: %s; using the legacy exporter" % reason]
    return [DYNAMO, LEGACY], []


@contextlib.contextmanager
def _quiet_tracing(torch):
    """The official code trips many TracerWarnings about Python values baked into the trace, and the
    legacy exporter warns about constant folding; the checks against PyTorch judge the result instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.")
        yield


def export_onnx(exporter, graph, example, path):
    """Writes graph.module (called on the tuple `example`) to path with `exporter`. The first input
    and the output get a dynamic batch unless graph.static_batch. Returns (name of the external
    weight file the exporter wrote beside the graph or None, opset, workarounds used)."""
    import torch

    for stale in (path, path + ".data"):
        if os.path.exists(stale):
            os.remove(stale)
    names = dict(input_names=graph.input_names(), output_names=[graph.output])
    with _quiet_tracing(torch):
        if exporter == DYNAMO:
            used, opset = [], graph.opset
            kwargs = dict(names, opset_version=opset, dynamo=True)
            if not graph.static_batch:
                kwargs["dynamic_shapes"] = tuple({0: torch.export.Dim("batch")} if i == 0 else None
                                                 for i in range(len(example)))
            torch.onnx.export(graph.module, example, path, **kwargs)
        else:
            opset = workarounds.LEGACY_OPSET
            kwargs = dict(names, opset_version=opset)
            if "dynamo" in _export_parameters(torch):
                kwargs["dynamo"] = False
            if not graph.static_batch:
                kwargs["dynamic_axes"] = {graph.input: {0: "batch"}, graph.output: {0: "batch"}}
            with workarounds.applied(workarounds.LEGACY_ONNX) as used:
                torch.onnx.export(graph.module, example, path, **kwargs)
    print("wrote %s (%d bytes, %s exporter, opset %d)" % (path, os.path.getsize(path), exporter, opset))
    data = path + ".data"
    return (os.path.basename(data) if os.path.exists(data) else None), opset, list(used)


def trace_torchscript(graph, example):
    """Traces graph.module on `example` with the TorchScript workarounds; returns (traced module,
    workarounds used)."""
    import torch

    with _quiet_tracing(torch), workarounds.applied(workarounds.TORCHSCRIPT) as used:
        traced = torch.jit.trace(graph.module, example, check_trace=False)
    return traced, list(used)


def save_torchscript(traced, path, io_description):
    """Saves a traced module with its I/O description (exfacegan.json, read by the djl-pytorch
    runtime) and returns it loaded back from the file."""
    import torch

    torch.jit.save(traced, path, _extra_files={"exfacegan.json": io_description})
    print("wrote %s (%d bytes, TorchScript)" % (path, os.path.getsize(path)))
    return torch.jit.load(path)
