"""Command line shared by the export scripts, and how they stop on a user's error."""
import argparse
import os
import sys

EXIT_CHECK_FAILED = 1  # the export ran but did not match PyTorch, or nothing could be exported
EXIT_USAGE = 2  # bad arguments, missing files or packages


def fail(message, code=EXIT_USAGE):
    """Stops with `error: message` on stderr (no stack trace: the message names what is at fault)."""
    print("error: " + message, file=sys.stderr)
    sys.exit(code)


def parser(description, default_static_batch):
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pickle", help="official network pickle (.pkl)")
    ap.add_argument("--out", required=True, help="output folder for descriptor.json, graphs and w_avg.npy")
    ap.add_argument("--static-batch", type=int, default=default_static_batch,
                    help="batch size baked into the synthesis graph, 0 = dynamic (default: %(default)s)")
    ap.add_argument("--onnx-exporter", choices=["auto", "dynamo", "legacy", "none"], default="auto",
                    help="auto: torch.onnx.export(dynamo=True) where torch (>= 2.5) and onnxscript allow it, else or "
                         "when it fails the legacy TorchScript-based exporter (opset 17, with workarounds); "
                         "none: TorchScript only, for the djl-pytorch runtime (default: %(default)s)")
    ap.add_argument("--no-torchscript", action="store_true", help="skip the TorchScript (.pt) export for DJL")
    ap.add_argument("--check-samples", type=int, default=4,
                    help="latents compared against PyTorch after export (default: %(default)s)")
    ap.add_argument("--check-psi", type=float, default=0.7, help="truncation psi of the checked w+ (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the check latents (default: %(default)s)")
    ap.add_argument("--skip-check", action="store_true",
                    help="do not run the exported graphs against PyTorch (the descriptor records them as unchecked)")
    ap.add_argument("--tolerance", type=float, default=1e-3,
                    help="largest accepted max |diff| between an export and PyTorch, in output units "
                         "(images in [-1, 1]: 1e-3 is 0.13 grey levels) (default: %(default)s)")
    ap.add_argument("--save-reference", metavar="DIR",
                    help="also write the check latents and PyTorch's outputs there as .npy (z, w, ws, img and the "
                         "official generator's img_official), to compare the export in another runtime")
    return ap


def validate(args):
    """Checks the common arguments before torch is imported; stops with a message naming the argument."""
    if not os.path.isfile(args.pickle):
        fail("network pickle %s: no such file" % args.pickle)
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        fail("--out %s exists and is not a folder" % args.out)
    if args.static_batch < 0:
        fail("--static-batch must be >= 0, got %d" % args.static_batch)
    if args.check_samples < 1:
        fail("--check-samples must be >= 1, got %d" % args.check_samples)
    if not args.tolerance > 0:
        fail("--tolerance must be > 0, got %s" % args.tolerance)
    if args.onnx_exporter == "none" and args.no_torchscript:
        fail("--onnx-exporter none with --no-torchscript leaves nothing to export")
