#!/usr/bin/env python3
"""Smoke test of the shared export plumbing (exfacegan_export.py) on toy generators, without the
official code: w_avg.npy, descriptor.json, TorchScript with embedded I/O names, static-batch
handling, truncation helper. With PyTorch < 2.6 (no dynamo exporter) the toy ONNX graphs are
written by the legacy exporter instead, so this does NOT verify the dynamo export of real
generators. The descriptors it writes open in the Java plugins (see docs/backbones).

  python3 tools/export/smoke_test.py --out /tmp/exfacegan-smoke
"""
import argparse
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    import torch

    if not hasattr(torch.onnx, "dynamo_export") and tuple(int(p) for p in torch.__version__.split(".")[:2]) < (2, 6):
        def legacy(module, example, path, input_name, output_name, static_batch, opset):
            axes = {} if static_batch else {input_name: {0: "batch"}, output_name: {0: "batch"}}
            torch.onnx.export(module, (example,), path, input_names=[input_name], output_names=[output_name],
                              opset_version=min(opset, 17), dynamic_axes=axes)
            return None
        ex.export_onnx = legacy
        print("note: torch", torch.__version__, "has no dynamo exporter; toy graphs use the legacy one")

    torch.manual_seed(0)
    pkl = os.path.join(a.out, "toy.pkl")
    os.makedirs(a.out, exist_ok=True)
    with open(pkl, "wb") as f:
        f.write(b"toy")

    for backbone, comps, sb in (("stylegan2", 0, 0), ("stylegan3", 0, 2), ("gansformer", 3, 2)):
        z_dim, w_dim, num_ws, res = 6, 5, 4, 8
        lead = [comps] if comps else []

        class Mapping(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = torch.nn.Linear(z_dim, w_dim)

            def forward(self, z):
                return torch.nn.functional.leaky_relu(self.lin(z), 0.2)

        class Synthesis(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = torch.nn.Linear(max(1, comps) * num_ws * w_dim, 3 * res * res)

            def forward(self, ws):
                return torch.tanh(self.lin(ws.reshape(ws.shape[0], -1))).reshape(-1, 3, res, res)

        args = types.SimpleNamespace(out=os.path.join(a.out, backbone), static_batch=sb, check_samples=4,
                                     check_psi=0.7, seed=0, no_torchscript=False, skip_check=True,
                                     tolerance=1e-3, pickle=pkl)
        w_avg = torch.randn(lead + [w_dim]) * 0.1
        ex.export_generator(args, backbone, "smoke_test.py", Mapping().eval(), Synthesis().eval(), lead + [z_dim],
                            w_avg, num_ws, res, ex.STATIC_OPSET if sb else ex.MAPPING_OPSET, components=comps or None)


if __name__ == "__main__":
    with __import__("torch").no_grad():
        main()
