#!/usr/bin/env python3
"""Builds a fixture generator of fake_official/ with random weights (fixed seed), sets its w_avg
from mapped latents as training would, and pickles it the way the official training code does.

  PYTHONPATH=tools/export/src/test/python/fake_official python3 make_fixture.py stylegan2 out.pkl
"""
import argparse
import pickle

import torch


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", choices=["stylegan2", "stylegan3", "gansformer"])
    ap.add_argument("out")
    ap.add_argument("--resolution", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trap", choices=["none", "trace-branch", "unexportable", "official-drift"], default="none",
                    help="stylegan2 only: a synthesis a trace gets wrong, one no ONNX exporter takes, or a generator "
                         "whose G(z) is not its mapping and synthesis")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    if a.arch == "stylegan2":
        from training.networks_stylegan2 import Generator
        G = Generator(img_resolution=a.resolution, trap=a.trap)
    elif a.arch == "stylegan3":
        from training.networks_stylegan3 import Generator
        G = Generator(img_resolution=a.resolution)
    else:
        from training.networks_gansformer import Generator
        G = Generator(img_resolution=a.resolution)
    G.eval().requires_grad_(False)
    with torch.no_grad():
        if a.arch == "gansformer":
            z = torch.randn([500, G.k, G.z_dim])
            w = G.mapping(z, None, pos=torch.from_numpy(G.pos), mask=torch.ones([500, G.k - 1]))
            G.mapping.w_avg.copy_(w[:, :, 0].mean(dim=(0, 1)))
        else:
            G.mapping.w_avg.copy_(G.mapping(torch.randn([500, G.z_dim]), None)[:, 0].mean(dim=0))
    key = "Gs" if a.arch == "gansformer" else "G_ema"
    with open(a.out, "wb") as f:
        pickle.dump({key: G, "G": G, "D": None}, f)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
