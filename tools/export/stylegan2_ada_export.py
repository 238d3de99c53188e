#!/usr/bin/env python3
"""Export an official StyleGAN2-ADA (PyTorch) generator to exfacegan's model descriptor.

Usage (with your own checkout of NVlabs/stylegan2-ada-pytorch, or NVlabs/stylegan3 for its
StyleGAN2 networks, on PYTHONPATH; any torch from 1.13 on):

  PYTHONPATH=/path/to/stylegan2-ada-pytorch python tools/export/stylegan2_ada_export.py \\
      ffhq.pkl --out models/sg2-ffhq

Writes descriptor.json, mapping.onnx (z [n, z_dim] -> w [n, w_dim], dynamic batch),
synthesis.onnx (ws [n, num_ws, w_dim] -> img [n, 3, R, R] in [-1, 1], dynamic batch unless
--static-batch), their .onnx.data weight files when the exporter writes them, w_avg.npy, and
mapping.pt / synthesis.pt (TorchScript for the djl-pytorch runtime). Every graph is compared with
PyTorch on a few latents first (ONNX when onnxruntime is installed), and the eager modules with
the official G(z) at psi 0.7 on the first 8 layers; the descriptor is written only when all agree.

How: G_ema from the pickle, on the CPU in float32 (the custom CUDA ops fall back to the reference
ops there); synthesis with fused_modconv=False (the grouped convolution of fused_modconv=True bakes
the batch size into the graph), noise_mode='const', force_fp32=True. ONNX: the dynamo exporter on
torch >= 2.5 with onnxscript, else the legacy one at opset 17 with the upfirdn2d kernel-shape
workaround applied in memory; TorchScript with fma replaced by a * b + c. See tools/export/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402


def main():
    args = ex.parser(__doc__, default_static_batch=0).parse_args()
    ex.validate(args)
    G = ex.nvlabs_generator(args, "NVlabs/stylegan2-ada-pytorch (or NVlabs/stylegan3)")
    if not hasattr(G.synthesis, "block_resolutions"):
        ex.fail("%s does not hold a StyleGAN2 synthesis network; use stylegan3_export.py" % args.pickle)
    kwargs = dict(noise_mode="const", force_fp32=True)
    mapping, synthesis = ex.nvlabs_modules(G, fused_modconv=False, **kwargs)
    ex.export_generator(args, "stylegan2", os.path.basename(__file__), mapping, synthesis,
                        [G.z_dim], G.mapping.w_avg.detach().float().cpu(), G.num_ws, G.img_resolution,
                        ex.MAPPING_OPSET if args.static_batch == 0 else ex.STATIC_OPSET,
                        official=ex.nvlabs_official(G, ex.CHECK_CUTOFF, **kwargs))


if __name__ == "__main__":
    main()
