#!/usr/bin/env python3
"""Export a GAN-Control generator (amazon-science/gan-control, Shoshan et al., ICCV 2021) for the
exfacegan `gancontrol` plugin: mapping.onnx / mapping.pt (z -> w), synthesis.onnx / synthesis.pt
(w+ -> image) and descriptor.json (docs/backbones/gancontrol.md).

  PYTHONPATH=/path/to/gan-control/src \\
    python tools/export/gancontrol_export.py resources/gan_models/<generator folder> --out OUT

The generator folder is the one the official inference code opens: args.json (model_config,
training_config.sub_groups_dict) and checkpoint/<iteration>.pt holding 'g_ema'. The generator is
built as the official `Inference.retrieve_model` builds it, on the CPU.

What is exported, and why (facts of the official code, gan_control/models/gan_model.py):
- mapping: `G.style`, z [n, 512] -> w [n, 512]. With split_fc each sub-latent of z (its
  place_in_latent range) has its own pixel norm and MLP, whose output takes the same place in w:
  the split holds in z and in w alike. The sub-latents go into the descriptor by their official
  names (id, expression, orientation, gamma, age, hair, other).
- synthesis: `G([w+], input_is_latent=True, randomize_noise=False)`, w+ [n, n_latent, 512]
  (n_latent = 16 at 512 px) -> image [n, 3, R, R] in [-1, 1]; randomize_noise=False feeds the
  generator's own noise buffers (G.noises), so the noise is constant, as StyleGAN's noise_mode
  'const'. Its modulated convolutions are grouped over the batch, which fixes the batch size in
  the exported graph: --static-batch (default 4); the host splits and pads calls to it.
- truncation is not exported: the official inference pulls w toward the mean w before copying
  it to every layer; the plugin does the same (truncation_psi, all copies by default) toward
  the descriptor's w_avg, estimated here as the official code does (mean of G.style over
  --w-avg-samples standard normal z).

Checks: the TorchScript files are run against PyTorch on --check-samples latents (always), the
ONNX files too when onnxruntime is installed; the script fails when a max |diff| exceeds
--tolerance. PyTorch 2.6+ exports ONNX with the dynamo exporter; older PyTorch (Debian's 1.13)
with the TorchScript-based one.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exfacegan_export import io_json, sha256  # noqa: E402  (the shared TorchScript I/O note and file hash)

DESCRIPTOR_VERSION = 1
OPSET_LEGACY = 17
OPSET_DYNAMO = 18


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", help="official generator folder: args.json and checkpoint/*.pt")
    ap.add_argument("--out", required=True, help="output folder for descriptor.json and the graphs")
    ap.add_argument("--checkpoint", help="checkpoint file (default: the last one in MODEL_DIR/checkpoint)")
    ap.add_argument("--static-batch", type=int, default=4, help="batch size baked into the synthesis (default: %(default)s)")
    ap.add_argument("--w-avg-samples", type=int, default=100_000,
                    help="z samples averaged for w_avg, as the official code (default: %(default)s)")
    ap.add_argument("--check-samples", type=int, default=4, help="latents compared against PyTorch (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="seed of w_avg's and the checks' latents (default: %(default)s)")
    ap.add_argument("--tolerance", type=float, default=1e-3, help="largest accepted max |diff| (default: %(default)s)")
    ap.add_argument("--no-onnx", action="store_true", help="write TorchScript only")
    ap.add_argument("--no-torchscript", action="store_true", help="write ONNX only")
    return ap.parse_args(argv)


def read_config(model_dir):
    with open(os.path.join(model_dir, "args.json")) as f:
        config = json.load(f)
    model = config["model_config"]
    if model.get("vanilla", False):
        raise SystemExit("error: this is a vanilla StyleGAN2 (model_config.vanilla): it names no sub-latents; "
                         "export it for the stylegan2 plugin instead")
    return config


def sub_latents(config):
    """name -> [start, end), ordered by start, from training_config.sub_groups_dict (place_in_latent)."""
    groups = config["training_config"]["sub_groups_dict"]
    places = sorted(((g["place_in_latent"][0], g["place_in_latent"][1], name) for name, g in groups.items()))
    return {name: [int(start), int(end)] for start, end, name in places}


def load_generator(model_dir, config, checkpoint):
    """The generator as the official Inference.retrieve_model builds it, on the CPU in float32."""
    import torch
    from gan_control.models.gan_model import Generator
    from gan_control.utils.mini_batch_multi_split_utils import MiniBatchUtils

    m = config["model_config"]
    t = config["training_config"]
    batch_utils = MiniBatchUtils(t["mini_batch"], t["sub_groups_dict"], total_batch=t["batch"])
    G = Generator(m["size"], m["latent_size"], m["n_mlp"], channel_multiplier=m["channel_multiplier"],
                  out_channels=m["img_channels"], split_fc=m["split_fc"], fc_config=batch_utils.get_fc_config(),
                  conv_transpose=m["conv_transpose"], noise_mode=m["g_noise_mode"])
    if checkpoint is None:
        folder = os.path.join(model_dir, "checkpoint")
        checkpoint = os.path.join(folder, sorted(os.listdir(folder))[-1])
    state = torch.load(checkpoint, map_location="cpu")
    G.load_state_dict(state["g_ema"])
    return G.float().eval(), checkpoint


def modules(G):
    import torch

    class Mapping(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.G = G

        def forward(self, z):
            return self.G.style(z)

    class Synthesis(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.G = G

        def forward(self, ws):
            # the generator's own noise buffers (randomize_noise=False): constant noise
            return self.G([ws], input_is_latent=True, randomize_noise=False)[0]

    return Mapping().eval(), Synthesis().eval()


def mean_w(G, z_dim, samples, seed):
    import torch
    g = torch.Generator().manual_seed(seed)
    total = torch.zeros(z_dim, dtype=torch.float64)
    with torch.no_grad():
        for start in range(0, samples, 1000):
            z = torch.randn(min(1000, samples - start), z_dim, generator=g)
            total += G.style(z).double().sum(0)
    return (total / samples).float()


def export_onnx(module, example, path, input_name, output_name, dynamic_batch):
    import torch
    major_minor = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2])
    if major_minor >= (2, 6):
        shapes = {input_name: {0: torch.export.Dim("batch")}} if dynamic_batch else None
        torch.onnx.export(module, (example,), path, input_names=[input_name], output_names=[output_name],
                          opset_version=OPSET_DYNAMO, dynamo=True, dynamic_shapes=shapes, external_data=False)
    else:  # the TorchScript-based exporter of older PyTorch
        axes = {input_name: {0: "batch"}, output_name: {0: "batch"}} if dynamic_batch else None
        torch.onnx.export(module, (example,), path, input_names=[input_name], output_names=[output_name],
                          opset_version=OPSET_LEGACY, dynamic_axes=axes)


def export_torchscript(module, example, path, io):
    import torch
    with torch.no_grad():
        traced = torch.jit.trace(module, (example,), check_trace=False)
    torch.jit.save(traced, path, _extra_files={"exfacegan.json": io})
    return traced


def max_diff(a, b):
    return float((a.detach().double() - b.detach().double()).abs().max())


def run_onnx(path, input_name, x):
    import onnxruntime  # optional
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {input_name: x.numpy()})[0]


def main(argv=None):
    a = parse_args(argv)
    config = read_config(a.model_dir)
    import torch
    torch.set_grad_enabled(False)
    G, checkpoint = load_generator(a.model_dir, config, a.checkpoint)
    latent = int(config["model_config"]["latent_size"])
    num_ws = int(G.n_latent)
    resolution = int(config["model_config"]["size"])
    parts = sub_latents(config)
    ends = [r[1] for r in parts.values()]
    if ends[-1] != latent or any(parts[n][0] != e for n, e in zip(list(parts)[1:], ends)):
        raise SystemExit("error: sub_groups_dict does not split [0, %d) without gaps: %s" % (latent, parts))
    os.makedirs(a.out, exist_ok=True)
    mapping, synthesis = modules(G)
    sb = a.static_batch
    gen = torch.Generator().manual_seed(a.seed + 1)
    z_example = torch.randn(sb, latent, generator=gen)
    ws_example = mapping(z_example).unsqueeze(1).repeat(1, num_ws, 1)

    files = {}
    if not a.no_onnx:
        export_onnx(mapping, z_example, os.path.join(a.out, "mapping.onnx"), "z", "w", dynamic_batch=True)
        export_onnx(synthesis, ws_example, os.path.join(a.out, "synthesis.onnx"), "ws", "img", dynamic_batch=False)
        files["onnx"] = ("mapping.onnx", "synthesis.onnx")
    if not a.no_torchscript:
        m_io = io_json("z", [-1, latent], "w", [-1, latent])
        s_io = io_json("ws", [sb, num_ws, latent], "img", [sb, 3, resolution, resolution])
        export_torchscript(mapping, z_example, os.path.join(a.out, "mapping.pt"), m_io)
        export_torchscript(synthesis, ws_example, os.path.join(a.out, "synthesis.pt"), s_io)
        files["torchscript"] = ("mapping.pt", "synthesis.pt")
    if not files:
        raise SystemExit("error: --no-onnx and --no-torchscript leave nothing to export")

    w_avg = mean_w(G, latent, a.w_avg_samples, a.seed)
    failures = check(a, mapping, synthesis, files, latent, num_ws, sb)
    source = {"exporter": "gancontrol_export.py", "checkpoint": os.path.basename(checkpoint),
              "checkpoint_sha256": sha256(checkpoint), "torch": torch.__version__, "w_avg_samples": a.w_avg_samples,
              "noise": "the generator's constant noise buffers (randomize_noise=False)", "static_batch": sb}
    # descriptor.json names the ONNX files when there are any; descriptor-torchscript.json the TorchScript ones
    for fmt, (m_file, s_file) in files.items():
        name = "descriptor.json" if fmt == "onnx" or "onnx" not in files else "descriptor-torchscript.json"
        descriptor = {
            "format_version": DESCRIPTOR_VERSION,
            "backbone": "gancontrol",
            "latent_dim": latent,
            "num_ws": num_ws,
            "resolution": resolution,
            "sub_latents": parts,
            "w_avg": [float(v) for v in w_avg],
            "mapping": {"file": m_file, "input": "z", "output": "w"},
            "synthesis": {"file": s_file, "input": "ws", "output": "img"},
            "source": source,
        }
        with open(os.path.join(a.out, name), "w") as f:
            json.dump(descriptor, f, indent=1)
            f.write("\n")
        print("wrote", os.path.join(a.out, name))
    if failures:
        raise SystemExit("error: the export differs from PyTorch: " + "; ".join(failures))


def check(a, mapping, synthesis, files, latent, num_ws, sb):
    """Runs the exported graphs on fresh latents against PyTorch; returns what exceeded the tolerance."""
    import torch
    gen = torch.Generator().manual_seed(a.seed + 2)
    failures = []
    n = max(1, a.check_samples)
    z = torch.randn(n, latent, generator=gen)
    w = mapping(z)
    ws = w.unsqueeze(1).repeat(1, num_ws, 1)[:sb]
    if ws.shape[0] < sb:  # the synthesis takes exactly its static batch
        ws = torch.cat([ws, ws[-1:].repeat(sb - ws.shape[0], 1, 1)])
    img = synthesis(ws)
    results = []
    if "torchscript" in files:
        m = torch.jit.load(os.path.join(a.out, files["torchscript"][0]))
        s = torch.jit.load(os.path.join(a.out, files["torchscript"][1]))
        results.append(("torchscript mapping", max_diff(m(z), w)))
        results.append(("torchscript synthesis", max_diff(s(ws), img)))
    if "onnx" in files:
        try:
            results.append(("onnx mapping", max_diff(torch.from_numpy(run_onnx(os.path.join(a.out, "mapping.onnx"), "z", z)), w)))
            results.append(("onnx synthesis", max_diff(torch.from_numpy(run_onnx(os.path.join(a.out, "synthesis.onnx"), "ws", ws)),
                                                        img)))
        except ImportError:
            print("note: onnxruntime is not installed: the ONNX files were not run (the Java plugin runs them)")
    for label, diff in results:
        print("%-22s max |diff| %.3g" % (label, diff))
        if not diff <= a.tolerance:
            failures.append("%s %.3g > %.3g" % (label, diff, a.tolerance))
    return failures


if __name__ == "__main__":
    main()
