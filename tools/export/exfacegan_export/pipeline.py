"""Exporting one generator: graphs in every format the installed torch allows, checks against
PyTorch, then the descriptor. Everything is written to a scratch folder inside --out and moved into
place only when every check passed, so a failed export leaves the folder as it was."""
import math
import os
import shutil
import sys
import tempfile

from . import checks, exporters
from .cli import EXIT_CHECK_FAILED, fail, validate
from .descriptor import graph_entry, source_info, write_descriptor, write_npy
from .graphs import Graph

CHECK_CUTOFF = 8  # the check latents are truncated on the first 8 copies of w, as ExFaceGAN's reference does
MAPPING_OPSET = 18
STATIC_OPSET = 20  # the dynamo exporter needs opset 20 for affine_grid (StyleGAN3) and GANsformer's synthesis
EXPORT_FILES = ("mapping.onnx", "mapping.onnx.data", "mapping.pt", "synthesis.onnx", "synthesis.onnx.data",
                "synthesis.pt", "w_avg.npy")


def truncate(w, w_avg, psi, cutoff, num_ws):
    """w [n, (k,) D] -> w+ [n, (k,) L, D] pulled toward w_avg [(k,) D] on the first `cutoff` copies
    (what the exfacegan backbones do)."""
    ws = w.unsqueeze(-2).repeat_interleave(num_ws, dim=-2).clone()
    avg = w_avg.unsqueeze(-2)
    ws[..., :cutoff, :] = avg + psi * (ws[..., :cutoff, :] - avg)
    return ws


CHECK_ROTATE = 30.0  # degrees and image widths of the rotated check of StyleGAN3's transform input
CHECK_TRANSLATE = (0.125, -0.0625)


def rotation_transform(degrees=CHECK_ROTATE, translate=CHECK_TRANSLATE):
    """The [3, 3] input transform NVlabs' gen_images.py sets for --rotate/--translate: the inverse of
    its make_transform(translate, angle) matrix."""
    import torch

    s, c = math.sin(math.radians(degrees)), math.cos(math.radians(degrees))
    m = torch.tensor([[c, s, translate[0]], [-s, c, translate[1]], [0, 0, 1]], dtype=torch.float64)
    return torch.linalg.inv(m).float()


def export_generator(args, backbone, script, mapping, synthesis, z_item, w_avg, num_ws, resolution,
                     synthesis_opset, components=None, source_extra=None, official=None, official_psi=None,
                     transform_input=None, transform_default=None):
    """Exports mapping (z -> w, dynamic batch) and synthesis (w+ -> img, static batch when
    args.static_batch > 0) as ONNX with the exporter the installed torch supports (--onnx-exporter)
    and, unless --no-torchscript, as TorchScript; checks every graph against the eager modules on
    args.check_samples latents; writes w_avg.npy and descriptor.json only when all checks pass.

    official(z, psi, transform=None) -> img, when given, is the official generator the eager modules
    must reproduce at truncation official_psi (default args.check_psi). transform_input names the
    synthesis's second input, an unbatched [3, 3] matrix (StyleGAN3's input transform; the check
    feeds transform_default, the identity unless given, and a rotation)."""
    import torch

    validate(args)
    extras = [(transform_input, torch.eye(3) if transform_default is None else transform_default)] if transform_input else []
    rows = args.static_batch or 2  # a mapping that cannot run any batch gets the synthesis's static batch
    graphs = [Graph("mapping", mapping, "z", "w", 0, MAPPING_OPSET, example_rows=rows),
              Graph("synthesis", synthesis, "ws", "img", args.static_batch, synthesis_opset, extras)]
    data = _CheckData(args, graphs, z_item, w_avg, num_ws, official, official_psi, transform_input)
    if args.save_reference:
        checks.save_reference(args.save_reference, data.reference,
                              {"psi": args.check_psi, "cutoff": CHECK_CUTOFF, "seed": args.seed, "backbone": backbone,
                               "official_psi": data.official_psi, "transform_input": transform_input,
                               "rotate": CHECK_ROTATE, "translate": list(CHECK_TRANSLATE)})

    report = checks.Report(args.tolerance)
    if official is not None:
        report.compare("official", "PyTorch modules to export vs official G(z)", data.ours_official, data.official, True)
        if transform_input:
            report.compare("official_transform", "... with a rotated input transform vs official G(z)",
                           data.ours_official_transform, data.official_transform, True)
        _stop_on(report, "the modules to export do not reproduce the official generator; nothing exported")

    created = not os.path.exists(args.out)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".export-", dir=args.out)
    try:
        lead = [components] if components else []
        w_item = lead + [int(data.w.shape[-1])]
        items = {"mapping": (list(z_item), w_item), "synthesis": (lead + [num_ws, w_item[-1]], [3, resolution, resolution])}
        entries = {g.role: {} for g in graphs}
        provenance = {}
        traces = _trace(graphs, data, args.tolerance, provenance)
        _export_onnx(args, work, graphs, data, traces, entries, provenance, report)
        if not args.no_torchscript and traces:
            _save_torchscript(args, work, graphs, data, traces, items, entries, report)
        elif traces and not args.skip_check:  # no .pt written: still check the traces the legacy graphs come from
            for g in graphs:
                _compare(report, "trace", traces[g.role][1], traces[g.role][0], data)
        if not all(entries.values()):
            report.fail("no graph could be exported in any format (see the notes above)")
        _stop_on(report, "nothing written to %s" % args.out)
        if transform_input:
            entries["synthesis"]["transform_input"] = transform_input
        write_npy(os.path.join(work, "w_avg.npy"), w_avg.numpy())
        source = source_info(args.pickle, script, dict(source_extra or {}, **provenance, check=report.source(
            samples=data.n, psi=args.check_psi, cutoff=CHECK_CUTOFF, seed=args.seed, official_psi=data.official_psi)))
        _publish(work, args.out)
        path = write_descriptor(args.out, backbone, z_item[-1], w_item[-1], num_ws, resolution,
                                entries["mapping"], entries["synthesis"], source, components)
        print("wrote", path)
        print("export checked: all differences within tolerance %.3g" % args.tolerance)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not os.listdir(args.out):  # a failed export into a new folder leaves no folder
            os.rmdir(args.out)


def _stop_on(report, consequence):
    if report.failures:
        print("EXPORT CHECK FAILED (%s):\n  %s" % (consequence, "\n  ".join(report.failures)))
        sys.exit(EXIT_CHECK_FAILED)


class _CheckData:
    """The check latents and what eager PyTorch makes of them."""

    def __init__(self, args, graphs, z_item, w_avg, num_ws, official, official_psi, transform_input):
        import torch

        mapping, synthesis = graphs
        self.n = max(args.check_samples, 2)
        gen = torch.Generator().manual_seed(args.seed)
        self.z = torch.randn([self.n] + list(z_item), generator=gen)
        self.w = mapping.module(self.z)
        self.ws = truncate(self.w, w_avg, args.check_psi, CHECK_CUTOFF, num_ws)
        self.img = synthesis.run(synthesis.module, self.ws)
        self.reference = {"z": self.z, "w": self.w, "ws": self.ws, "img": self.img}
        self.transform = None
        if transform_input:
            self.transform = rotation_transform()
            self.img_transform = synthesis.run(synthesis.module, self.ws, {transform_input: self.transform})
            self.reference.update(transform=self.transform, img_transform=self.img_transform)
        self.official_psi = None
        if official is not None:
            self.official_psi = args.check_psi if official_psi is None else official_psi
            # the check images serve when the official generator is compared at the check psi
            ws = self.ws if self.official_psi == args.check_psi else truncate(self.w, w_avg, self.official_psi,
                                                                               CHECK_CUTOFF, num_ws)
            self.ours_official = self.img if ws is self.ws else synthesis.run(synthesis.module, ws)
            self.official = official(self.z, self.official_psi)
            self.reference["img_official"] = self.official
            if transform_input:
                self.ours_official_transform = (self.img_transform if ws is self.ws else
                                                synthesis.run(synthesis.module, ws, {transform_input: self.transform}))
                self.official_transform = official(self.z, self.official_psi, self.transform)
                self.reference["img_transform_official"] = self.official_transform
        print("check latents: z %s -> w %s -> w+ %s -> img %s" % (list(self.z.shape), list(self.w.shape),
                                                                    list(self.ws.shape), list(self.img.shape)))

    def inputs(self, role):
        """(input rows, expected output rows) of a graph."""
        return (self.z, self.w) if role == "mapping" else (self.ws, self.img)


def _first_line(e, limit=300):
    text = (str(e).strip().splitlines() or [""])[0]
    return "%s: %s" % (type(e).__name__, text[:limit] + ("..." if len(text) > limit else ""))


def _trace(graphs, data, tolerance, provenance):
    """Traces each graph (TorchScript workarounds applied) and finds its batch layout: a trace that
    gives PyTorch's output for another batch size too is batch-generic, otherwise it keeps the batch
    it was traced on. Returns {role: (traced module, layout)}, or {} when tracing fails."""
    traces, used_all = {}, set()
    for g in graphs:
        x, expected = data.inputs(g.role)
        example = g.example(x)
        try:
            traced, used = exporters.trace_torchscript(g, example)
        except Exception as e:  # no TorchScript; ONNX may still work
            print("note: TorchScript tracing failed on the %s graph (%s)" % (g.role, _first_line(e)))
            provenance["torchscript_failure"] = "%s graph: %s" % (g.role, _first_line(e))
            return {}
        used_all.update(used)
        generic = _runs_any_batch(traced, g, x, expected, tolerance)
        if not generic:
            print("note: the traced %s runs only its traced batch of %d" % (g.role, g.example_rows))
        traces[g.role] = (traced, g.with_static_batch(0 if generic else g.example_rows))
    provenance["torchscript_workarounds"] = sorted(used_all)
    return traces


def _export_onnx(args, work, graphs, data, traces, entries, provenance, report):
    """Tries the exporters in order; the first one that exports both graphs wins. The legacy exporter
    works on a trace, so it gets the batch layout the trace showed. The graphs are then run with
    onnxruntime against PyTorch when it is installed."""
    import torch

    chain, notes = exporters.exporter_chain(args.onnx_exporter, torch)
    for note in notes:
        print("note:", note)
    provenance["onnx_exporter"] = None
    failures = {}
    for exporter in chain:
        done = {}
        try:
            for g in graphs:
                if exporter == exporters.LEGACY and g.role in traces and not g.static_batch:
                    g = traces[g.role][1]
                x, _ = data.inputs(g.role)
                external, opset, used = exporters.export_onnx(exporter, g, g.example(x), os.path.join(work, g.role + ".onnx"))
                done[g.role] = (g, graph_entry(g.role + ".onnx", g.static_batch, external), opset, used)
        except Exception as e:  # the next exporter may manage
            failures[exporter] = "%s graph: %s" % (g.role, _first_line(e))
            print("note: the %s ONNX exporter failed on the %s graph (%s)" % (exporter, g.role, _first_line(e)))
            for f in os.listdir(work):
                if ".onnx" in f:
                    os.remove(os.path.join(work, f))
            continue
        for role, (_, entry, _, _) in done.items():
            entries[role]["onnx"] = entry
        provenance.update(onnx_exporter=exporter, onnx_opset={r: v[2] for r, v in done.items()},
                          onnx_workarounds=sorted({u for v in done.values() for u in v[3]}))
        break
    if failures:
        provenance["onnx_exporter_failures"] = failures
    if provenance["onnx_exporter"] is None:
        if chain:
            print("note: no ONNX exporter worked here; the descriptor lists TorchScript only (djl-pytorch runtime)")
        return
    if args.skip_check:
        report.skip("onnx", "--skip-check")
        return
    load, why_not = checks.onnx_runner()
    if load is None:
        report.skip("onnx", why_not + "; the ONNX graphs are written without being run" +
                    (" (the TorchScript trace they were made from is checked)" if provenance["onnx_exporter"] == "legacy"
                     and traces else ""))
        return
    for g, _, _, _ in done.values():
        run = load(os.path.join(work, g.role + ".onnx"))
        _compare(report, "onnx", g, run, data)


def _save_torchscript(args, work, graphs, data, traces, items, entries, report):
    """Saves the traces with their I/O description and checks the files loaded back."""
    for g in graphs:
        traced, layout = traces[g.role]
        path = os.path.join(work, g.role + ".pt")
        loaded = exporters.save_torchscript(traced, path, layout.io_description(*items[g.role]))
        entries[g.role]["torchscript"] = graph_entry(g.role + ".pt", layout.static_batch)
        if args.skip_check:
            report.skip("torchscript " + g.role, "--skip-check")
        else:
            _compare(report, "torchscript", layout, loaded, data)


def _compare(report, fmt, graph, run, data):
    """One exported graph vs PyTorch on the check latents (and the rotated transform, if it has one)."""
    x, expected = data.inputs(graph.role)
    image = graph.role == "synthesis"
    label = {"onnx": "ONNX", "torchscript": "TorchScript", "trace": "TorchScript trace (not saved)"}[fmt]
    report.compare("%s_%s" % (fmt, graph.role), "%s %s vs PyTorch" % (label, graph.role), graph.run(run, x), expected, image)
    if graph.extras and data.transform is not None:
        report.compare("%s_%s_transform" % (fmt, graph.role), "%s %s, rotated input transform" % (label, graph.role),
                       graph.run(run, x, {graph.extras[0][0]: data.transform}), data.img_transform, image)


def _runs_any_batch(traced, graph, x, expected, tolerance):
    """True when the trace gives PyTorch's output for a batch size other than the traced one."""
    import torch

    rows = graph.example_rows + 1
    reps = rows // x.shape[0] + 1
    probe, want = torch.cat([x] * reps)[:rows], _cat_rows(expected, reps)[:rows]
    try:
        got = graph.with_static_batch(0).run(traced, probe)
    except Exception:  # a batch size baked into the trace
        return False
    return checks.max_diff(got, want) <= tolerance


def _cat_rows(a, reps):
    import numpy as np

    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    return np.concatenate([a] * reps)


def _publish(work, out):
    """Moves the checked files from the scratch folder into out, removing the previous export's
    descriptor first (so no descriptor ever points at half-replaced graphs) and its files that this
    export does not replace."""
    old = os.path.join(out, "descriptor.json")
    if os.path.exists(old):
        os.remove(old)
    for name in EXPORT_FILES:
        if not os.path.exists(os.path.join(work, name)) and os.path.exists(os.path.join(out, name)):
            print("removed %s of the previous export" % os.path.join(out, name))
            os.remove(os.path.join(out, name))
    for name in sorted(os.listdir(work)):
        os.replace(os.path.join(work, name), os.path.join(out, name))
