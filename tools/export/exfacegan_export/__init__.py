"""Shared code of the exfacegan export scripts (stylegan2_ada_export.py, stylegan3_export.py,
gansformer_export.py): command line, loading with the official code, ONNX export with the exporter
the installed torch supports (and in-memory workarounds), TorchScript tracing, checks against
PyTorch and the model descriptor (docs/backbones/descriptor.md).

  cli          arguments, errors and exit codes
  official     the user's official code: optional imports, pickles, the modules to trace
  workarounds  patches applied in memory while an exporter runs
  exporters    dynamo / legacy ONNX export, TorchScript tracing
  graphs       one graph's names and batch layout
  checks       max |diff| against PyTorch, reference data for other runtimes
  descriptor   descriptor.json and the files beside it
  pipeline     export_generator: all of the above for one generator

Nothing imports torch at module load, so `--help` works without it. The official generator code
is the user's own checkout on PYTHONPATH; it is imported by the scripts, never shipped or edited.
"""
from .checks import max_diff
from .cli import EXIT_CHECK_FAILED, EXIT_USAGE, fail, parser, validate
from .descriptor import DESCRIPTOR_VERSION, graph_entry, io_json, sha256, source_info, write_descriptor, write_npy
from .official import (call_with_buffer, import_torch, load_pickle_generator, nvlabs_generator, nvlabs_modules,
                       nvlabs_official, tolerate_missing)
from .pipeline import CHECK_CUTOFF, MAPPING_OPSET, STATIC_OPSET, export_generator, rotation_transform, truncate

__all__ = ["CHECK_CUTOFF", "DESCRIPTOR_VERSION", "EXIT_CHECK_FAILED", "EXIT_USAGE", "MAPPING_OPSET", "STATIC_OPSET",
           "call_with_buffer", "export_generator", "fail", "graph_entry", "import_torch", "io_json",
           "load_pickle_generator", "max_diff", "nvlabs_generator", "nvlabs_modules", "nvlabs_official", "parser",
           "rotation_transform", "sha256", "source_info", "tolerate_missing", "truncate", "validate",
           "write_descriptor", "write_npy"]
