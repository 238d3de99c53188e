#!/usr/bin/env python3
"""Export an official StyleGAN3 generator (NVlabs/stylegan3, -T or -R) to exfacegan's model descriptor.

Usage (with your own checkout of NVlabs/stylegan3 on PYTHONPATH; needs PyTorch 2.6+ with onnx and
onnxscript, and onnxruntime for the check):

  PYTHONPATH=/path/to/stylegan3 python tools/export/stylegan3_export.py \\
      stylegan3-r-ffhq-1024x1024.pkl --out models/sg3-ffhq --static-batch 4

Writes descriptor.json, mapping.onnx (z [n, z_dim] -> w [n, w_dim], dynamic batch),
synthesis.onnx (ws [B, num_ws, w_dim] -> img [B, 3, R, R] in [-1, 1] with a STATIC batch B =
--static-batch; exfacegan pads the last batch), .onnx.data weight files when the exporter writes
them, w_avg.npy, and TorchScript files where tracing works. Then it prints max |diff| against
PyTorch on a few latents.

How: G_ema on the CPU in float32 (reference ops); the dynamo ONNX exporter at opset 20 (affine_grid
needs it; the TorchScript-based exporter fails) with a static batch (a dynamic batch is refused);
synthesis with noise_mode='const', force_fp32=True. A StyleGAN2 pickle loaded through the
stylegan3 code belongs to stylegan2_ada_export.py.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402


def main():
    args = ex.parser(__doc__, default_static_batch=4).parse_args()
    if args.static_batch < 1:
        sys.exit("error: StyleGAN3 synthesis exports only with a static batch (--static-batch >= 1)")
    G = ex.nvlabs_generator(args, "NVlabs/stylegan3")
    # pickled networks are rebuilt from their embedded source under generated module names, so
    # tell the architectures apart by their attributes
    if not hasattr(G.synthesis, "layer_names"):
        sys.exit("error: %s holds a StyleGAN2 synthesis network; use stylegan2_ada_export.py" % args.pickle)
    mapping, synthesis = ex.nvlabs_modules(G, noise_mode="const", force_fp32=True)
    ex.export_generator(args, "stylegan3", os.path.basename(__file__), mapping, synthesis,
                        [G.z_dim], G.mapping.w_avg.detach().float().cpu(), G.num_ws, G.img_resolution,
                        ex.STATIC_OPSET)


if __name__ == "__main__":
    main()
