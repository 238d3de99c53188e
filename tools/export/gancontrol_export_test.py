#!/usr/bin/env python3
"""Runs gancontrol_export.py on the fixture generator of tools/fixtures/gan_control (our own 16 px
stand-in for the official code) and writes what the Java plugin must reproduce:

  OUT/model/                 the fixture's generator folder (args.json, checkpoint/000100.pt)
  OUT/export/                the export: descriptor.json (ONNX), descriptor-torchscript.json, graphs
  OUT/reference/z.npy        latents [5, latent_dim]
  OUT/reference/w.npy        PyTorch's mapping of them
  OUT/reference/img.npy      PyTorch's images at truncation psi 0.7 toward the exported w_avg, every
                             layer truncated (the official inference), [5, 3, 16, 16] in [-1, 1]

  python3 tools/export/gancontrol_export_test.py --out /tmp/gancontrol-export

GanControlExportTest (backbone-gancontrol) runs it and compares the plugin's output on ONNX
Runtime and DJL with these references. Needs PyTorch (Debian's python3-torch 1.13 works).
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "gan_control")

ARGS = {
    "model_config": {"vanilla": False, "img_channels": 3, "split_fc": True, "marge_fc": False, "latent_size": 12,
                     "size": 16, "n_mlp": 3, "channel_multiplier": 2, "conv_transpose": True, "g_noise_mode": "normal"},
    "training_config": {"batch": 4, "mini_batch": 4, "sub_groups_dict": {
        # out of order on purpose: the export sorts by place
        "other": {"place_in_latent": [9, 12]},
        "id": {"place_in_latent": [0, 6]},
        "expression": {"place_in_latent": [6, 9]}}},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(FIXTURE))
    sys.path.insert(0, HERE)
    import numpy as np
    import torch
    from gan_control.models.gan_model import Generator
    from gan_control.utils.mini_batch_multi_split_utils import MiniBatchUtils
    import gancontrol_export

    torch.manual_seed(7)
    model = os.path.join(a.out, "model")
    os.makedirs(os.path.join(model, "checkpoint"), exist_ok=True)
    with open(os.path.join(model, "args.json"), "w") as f:
        json.dump(ARGS, f, indent=1)
    m = ARGS["model_config"]
    fc = MiniBatchUtils(4, ARGS["training_config"]["sub_groups_dict"]).get_fc_config()
    G = Generator(m["size"], m["latent_size"], m["n_mlp"], fc_config=fc, split_fc=True).eval()
    torch.save({"g_ema": G.state_dict()}, os.path.join(model, "checkpoint", "000100.pt"))

    export = os.path.join(a.out, "export")
    gancontrol_export.main([model, "--out", export, "--w-avg-samples", "4000", "--static-batch", "3"])

    with open(os.path.join(export, "descriptor.json")) as f:
        descriptor = json.load(f)
    w_avg = torch.tensor(descriptor["w_avg"], dtype=torch.float32)
    z = torch.randn(5, m["latent_size"], generator=torch.Generator().manual_seed(11))
    with torch.no_grad():
        w = G.style(z)
        truncated = w_avg + 0.7 * (w - w_avg)
        img, _ = G([truncated.unsqueeze(1).repeat(1, G.n_latent, 1)], input_is_latent=True, randomize_noise=False)
    reference = os.path.join(a.out, "reference")
    os.makedirs(reference, exist_ok=True)
    for name, t in (("z", z), ("w", w), ("img", img)):
        np.save(os.path.join(reference, name + ".npy"), t.numpy().astype(np.float32))
    print("reference written to", reference)


if __name__ == "__main__":
    main()
