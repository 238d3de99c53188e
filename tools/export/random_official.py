#!/usr/bin/env python3
"""Builds a generator with random weights from YOUR checkout of the official code, at a small size,
and pickles it the way the official training code does: to try the export scripts (and check an
export against the official generator) without downloading a checkpoint. The weights mean nothing;
the operators are the ones of the full-size networks.

  PYTHONPATH=/path/to/stylegan2-ada-pytorch python3 tools/export/random_official.py stylegan2 sg2.pkl
  PYTHONPATH=/path/to/stylegan3 python3 tools/export/random_official.py stylegan3-r sg3r.pkl --resolution 256
  PYTHONPATH=/path/to/gansformer/pytorch_version python3 tools/export/random_official.py gansformer gf.pkl

stylegan2 works with NVlabs/stylegan2-ada-pytorch or NVlabs/stylegan3 (its StyleGAN2 networks);
stylegan3-t / stylegan3-r need NVlabs/stylegan3; gansformer needs dorarad/gansformer's
pytorch_version, built with the options of its FFHQ model (transformer, k-means, layer norm,
multiplicative integration, resnet) and 4 local components. w_avg is set from mapped latents,
as training would leave it. The StyleGANs mark their two highest resolutions fp16 with a conv
clamp, as the FFHQ configurations do (on the CPU they run in float32, as the export does).
"""
import argparse
import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402


def nvlabs(arch, res, z_dim):
    try:
        from training import networks_stylegan2 as sg2  # NVlabs/stylegan3: Generator(..., **synthesis_kwargs)
        nested = False
    except ImportError:
        try:
            from training import networks as sg2  # NVlabs/stylegan2-ada-pytorch: Generator(..., synthesis_kwargs={})
            nested = True
        except ImportError as e:
            ex.fail("put your checkout of NVlabs/stylegan2-ada-pytorch or NVlabs/stylegan3 on PYTHONPATH (%s)" % e)
    common = dict(z_dim=z_dim, c_dim=0, w_dim=z_dim, img_resolution=res, img_channels=3, mapping_kwargs=dict(num_layers=2))
    synthesis = dict(channel_base=2048, channel_max=64, num_fp16_res=2, conv_clamp=256)
    if arch == "stylegan2":
        if nested:
            return sg2.Generator(**common, synthesis_kwargs=synthesis)
        return sg2.Generator(**common, **synthesis)
    try:
        from training import networks_stylegan3 as sg3
    except ImportError as e:
        ex.fail("StyleGAN3 needs your checkout of NVlabs/stylegan3 on PYTHONPATH (%s)" % e)
    radial = arch == "stylegan3-r"
    return sg3.Generator(**common, **synthesis, conv_kernel=1 if radial else 3, use_radial_filters=radial)


def gansformer(res, z_dim, components):
    ex.tolerate_missing("gdown", "termcolor", "seaborn", "distutils", "click", "tqdm")
    try:
        import loader
    except ImportError as e:
        ex.fail("put your checkout's gansformer/pytorch_version folder on PYTHONPATH (%s)" % e)
    sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(loader.__file__)), "training"))
    from training import networks

    shared = dict(transformer=True, use_pos=True, num_heads=1)
    return networks.Generator(z_dim=z_dim, c_dim=0, w_dim=z_dim, k=components + 1, img_resolution=res, img_channels=3,
                              mapping_kwargs=dict(num_layers=2, resnet=True, ltnt2ltnt=True, **shared),
                              synthesis_kwargs=dict(channel_base=1024, channel_max=64, architecture="resnet", style=True,
                                                    local_noise=True, norm="layer", integration="mul", kmeans=True,
                                                    start_res=0, end_res=8, **shared))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", choices=["stylegan2", "stylegan3-t", "stylegan3-r", "gansformer"])
    ap.add_argument("out", help="the .pkl to write")
    ap.add_argument("--resolution", type=int, default=64, help="image size, a power of 2 (default: %(default)s)")
    ap.add_argument("--z-dim", type=int, default=0, help="z = w size (default: 64, GANsformer 32 per component)")
    ap.add_argument("--components", type=int, default=4, help="GANsformer local components (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.resolution < 16 or a.resolution & (a.resolution - 1):
        ex.fail("--resolution must be a power of 2 >= 16, got %d" % a.resolution)
    torch = ex.import_torch()
    torch.manual_seed(a.seed)
    if a.arch == "gansformer":
        G = gansformer(a.resolution, a.z_dim or 32, a.components)
    else:
        G = nvlabs(a.arch, a.resolution, a.z_dim or 64)
    G.eval().requires_grad_(False)
    with torch.no_grad():
        if a.arch == "gansformer":
            z = torch.randn([1000, G.k, G.z_dim])
            w = G.mapping(z, None, pos=torch.as_tensor(G.pos).float(), mask=torch.ones([1000, G.k - 1]))
            G.mapping.w_avg.copy_(w[:, :, 0].mean(dim=(0, 1)))
            data = dict(G=G, D=torch.nn.Module(), Gs=G)
        else:
            G.mapping.w_avg.copy_(G.mapping(torch.randn([1000, G.z_dim]), None)[:, 0].mean(dim=0))
            data = dict(G=G, D=torch.nn.Module(), G_ema=G, augment_pipe=None, training_set_kwargs=None)
    with open(a.out, "wb") as f:
        pickle.dump(data, f)
    print("wrote %s: %s, %d px, %d parameters, num_ws %d" % (a.out, a.arch, a.resolution,
                                                              sum(p.numel() for p in G.parameters()), G.num_ws))


if __name__ == "__main__":
    main()
