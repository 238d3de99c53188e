#!/usr/bin/env python3
"""Export a GANsformer generator (dorarad/gansformer, pytorch_version) to exfacegan's model descriptor.

Usage (with your own checkout's pytorch_version folder on PYTHONPATH; any torch from 1.13 on):

  PYTHONPATH=/path/to/gansformer/pytorch_version python tools/export/gansformer_export.py \\
      ffhq-snapshot.pkl --out models/gansformer-ffhq --static-batch 4

Latents are [n, k, d]: k components, the k-1 local ones first and the global one LAST, as the
official code splits them. Writes descriptor.json, mapping.onnx (z [n, k, z_dim] -> w [n, k, w_dim],
dynamic batch), synthesis.onnx (ws [B, k, num_ws, w_dim] -> img [B, 3, R, R] in [-1, 1], STATIC
batch B = --static-batch), .onnx.data weight files when written, w_avg.npy, and TorchScript
files. Every graph is compared with PyTorch first (ONNX when onnxruntime is installed), and the
eager modules with the official G(z); the descriptor is written only when all agree.

w_avg: the official model keeps one mean w for all components. --w-avg per-component (default)
estimates each component's own mean from --w-avg-samples mapped latents, so truncation pulls each
component (the global one included) toward its own mean; --w-avg official writes the shared
buffer, broadcast to [k, w_dim]. (The official G(z) is compared at psi 1 with per-component means.)

How: the network from the official loader (TensorFlow pickles are converted on load), on the CPU
in float32 (reference ops); synthesis with fused_modconv=False and noise_mode='const'; the
attention mask is all ones (no component dropout at inference). ONNX: the dynamo exporter at
opset 20 (torch >= 2.5 with onnxscript), else the legacy one at opset 17 with a `tile` symbolic
and the kernel-shape workaround applied in memory; a static batch either way (the attention bakes
its shapes). The official code imports gdown, termcolor, seaborn, click, tqdm and distutils (gone
in Python 3.12); absent ones are stubbed. See tools/export/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exfacegan_export as ex  # noqa: E402


def main():
    ap = ex.parser(__doc__, default_static_batch=4)
    ap.add_argument("--w-avg", choices=["per-component", "official"], default="per-component",
                    help="mean w the truncation pulls toward (default: %(default)s)")
    ap.add_argument("--w-avg-samples", type=int, default=10000, help="latents for the per-component mean (default: %(default)s)")
    args = ap.parse_args()
    ex.validate(args)
    if args.static_batch < 1:
        ex.fail("GANsformer synthesis exports only with a static batch (--static-batch >= 1)")
    if args.w_avg_samples < 1:
        ex.fail("--w-avg-samples must be >= 1, got %d" % args.w_avg_samples)
    torch = ex.import_torch()
    ex.tolerate_missing("gdown", "termcolor", "seaborn", "distutils", "click", "tqdm")
    try:
        import loader
    except ImportError as e:
        ex.fail("put your checkout's gansformer/pytorch_version folder on PYTHONPATH (%s)" % e)
    # training/networks.py imports its sibling `misc` as a top-level module
    sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(loader.__file__)), "training"))

    G = ex.load_pickle_generator(args.pickle, lambda path: loader.load_network(path, eval=True)["Gs"])
    if not hasattr(G, "k") or not hasattr(G, "pos"):
        ex.fail("%s does not hold a GANsformer generator (no latent components k)" % args.pickle)
    k = G.k

    # hold only the sub-network each graph needs, so the other one's weights stay out of it
    class Mapping(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.mapping = G.mapping
            self.register_buffer("pos", torch.as_tensor(G.pos).detach().clone().float())

        def forward(self, z):
            mask = torch.ones([z.shape[0], k - 1], dtype=z.dtype)
            ws = self.mapping(z, None, pos=self.pos, mask=mask, truncation_psi=1)
            return ws[:, :, 0]  # [n, k, num_ws, d] holds num_ws identical copies before truncation

    class Synthesis(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.synthesis = G.synthesis
            self.register_buffer("pos", torch.as_tensor(G.pos).detach().clone().float())

        def forward(self, ws):
            mask = torch.ones([ws.shape[0], k - 1], dtype=ws.dtype)
            img, _ = self.synthesis(ws, pos=self.pos, mask=mask, noise_mode="const", fused_modconv=False)
            return img

    def official(z, psi, transform=None):
        return G(z=z, truncation_psi=psi, truncation_cutoff=ex.CHECK_CUTOFF, noise_mode="const")[0]

    mapping = Mapping().eval()
    if args.w_avg == "official":
        w_avg = G.mapping.w_avg.detach().float().cpu().unsqueeze(0).repeat(k, 1)
    else:
        gen = torch.Generator().manual_seed(args.seed + 1)
        total = torch.zeros([k, G.w_dim], dtype=torch.float64)
        done = 0
        while done < args.w_avg_samples:
            m = min(1000, args.w_avg_samples - done)
            total += mapping(torch.randn([m, k, G.z_dim], generator=gen)).double().sum(dim=0)
            done += m
        w_avg = (total / done).float()
        print("per-component w_avg from %d samples; global component mean norm %.3f, local mean norm %.3f"
              % (done, w_avg[-1].norm().item(), w_avg[:-1].norm(dim=1).mean().item()))

    ex.export_generator(args, "gansformer", os.path.basename(__file__), mapping, Synthesis().eval(),
                        [k, G.z_dim], w_avg, G.num_ws, G.img_resolution, ex.STATIC_OPSET, components=k,
                        source_extra={"w_avg": args.w_avg}, official=official,
                        official_psi=None if args.w_avg == "official" else 1.0)


if __name__ == "__main__":
    main()
