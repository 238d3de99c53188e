#!/usr/bin/env python3
"""Export an official StyleGAN3 generator (NVlabs/stylegan3, -T or -R) to exfacegan's model descriptor.

Usage (with your own checkout of NVlabs/stylegan3 on PYTHONPATH; any torch from 1.13 on):

  PYTHONPATH=/path/to/stylegan3 python tools/export/stylegan3_export.py \\
      stylegan3-r-ffhq-1024x1024.pkl --out models/sg3-ffhq --static-batch 4

Writes descriptor.json, mapping.onnx (z [n, z_dim] -> w [n, w_dim], dynamic batch),
synthesis.onnx (ws [B, num_ws, w_dim] and transform [3, 3] -> img [B, 3, R, R] in [-1, 1] with a
STATIC batch B = --static-batch; exfacegan pads the last batch), .onnx.data weight files when the
exporter writes them, w_avg.npy, and TorchScript files. `transform` is the value of the official
G.synthesis.input.transform for the call (identity by default; the stylegan3 plugin's `rotate` and
`translate` options set it as gen_images.py does); --no-transform-input leaves it out. Every graph
is compared with PyTorch first (ONNX when onnxruntime is installed), also with a rotated transform,
and the eager modules with the official G(z); the descriptor is written only when all agree.

How: G_ema on the CPU in float32 (reference ops), noise_mode='const', force_fp32=True. ONNX: the
dynamo exporter at opset 20 (torch >= 2.5 with onnxscript), else the legacy one at opset 17 with
an affine_grid symbolic and the kernel-shape workaround applied in memory; a static batch either
way (the modulated convolution is grouped over the batch). A StyleGAN2 pickle loaded through the
stylegan3 code belongs to stylegan2_ada_export.py. See tools/export/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402

TRANSFORM_INPUT = "transform"


def main():
    ap = ex.parser(__doc__, default_static_batch=4)
    ap.add_argument("--no-transform-input", action="store_true",
                    help="export the synthesis with its stored input transform baked in, without the [3, 3] input")
    args = ap.parse_args()
    ex.validate(args)
    if args.static_batch < 1:
        ex.fail("StyleGAN3 synthesis exports only with a static batch (--static-batch >= 1)")
    G = ex.nvlabs_generator(args, "NVlabs/stylegan3")
    # pickled networks are rebuilt from their embedded source under generated module names, so
    # tell the architectures apart by their attributes
    if not hasattr(G.synthesis, "layer_names") or not hasattr(getattr(G.synthesis, "input", None), "transform"):
        ex.fail("%s does not hold a StyleGAN3 synthesis network; use stylegan2_ada_export.py" % args.pickle)
    import torch

    transform_input = None if args.no_transform_input else TRANSFORM_INPUT
    if transform_input and not torch.equal(G.synthesis.input.transform, torch.eye(3)):
        print("note: the pickle's input transform is not the identity; the export is checked with it, but "
              "exfacegan feeds the identity unless the plugin's rotate/translate options say otherwise")
    kwargs = dict(noise_mode="const", force_fp32=True)
    mapping, synthesis = ex.nvlabs_modules(G, transform_input=transform_input is not None, **kwargs)
    ex.export_generator(args, "stylegan3", os.path.basename(__file__), mapping, synthesis,
                        [G.z_dim], G.mapping.w_avg.detach().float().cpu(), G.num_ws, G.img_resolution,
                        ex.STATIC_OPSET, official=ex.nvlabs_official(G, ex.CHECK_CUTOFF, **kwargs),
                        transform_input=transform_input, transform_default=G.synthesis.input.transform.clone())


if __name__ == "__main__":
    main()
