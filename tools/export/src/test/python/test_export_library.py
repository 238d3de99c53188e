"""Unit tests of tools/export/exfacegan_export (run by the JUnit test ExportScriptsTest, or directly:
PYTHONPATH=tools/export/src/test/python/fake_official python3 -m unittest discover -s tools/export/src/test/python).

The exporter choice and the arguments handed to torch.onnx.export are checked against fake torch
modules shaped like torch 1.13 and torch 2.x, so the dynamo path is exercised without torch 2; the
workarounds are checked on the real torch with the fake official ops."""
import contextlib
import io
import math
import os
import sys
import tempfile
import types
import unittest
from unittest import mock

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
import exfacegan_export as ex  # noqa: E402
from exfacegan_export import exporters, workarounds  # noqa: E402
from exfacegan_export.graphs import Graph  # noqa: E402

try:
    import torch
except ImportError:  # the Java test runs these only with torch; a direct run without it skips
    torch = None


def fake_torch(version, dynamo):
    """A module with what exporters.py reads of torch: onnx.export's signature, torch.export.Dim."""
    calls = []

    if dynamo:
        def export(model, args, f, input_names=None, output_names=None, opset_version=None, dynamic_axes=None,
                   dynamo=False, dynamic_shapes=None):
            calls.append(dict(input_names=input_names, output_names=output_names, opset_version=opset_version,
                              dynamic_axes=dynamic_axes, dynamo=dynamo, dynamic_shapes=dynamic_shapes))
            open(f, "wb").close()
    else:
        def export(model, args, f, input_names=None, output_names=None, opset_version=None, dynamic_axes=None):
            calls.append(dict(input_names=input_names, output_names=output_names, opset_version=opset_version,
                              dynamic_axes=dynamic_axes))
            open(f, "wb").close()

    t = types.ModuleType("torch")
    t.__version__ = version
    t.onnx = types.SimpleNamespace(export=export)
    t.jit = types.SimpleNamespace(TracerWarning=type("TracerWarning", (Warning,), {}))
    if dynamo:
        t.export = types.SimpleNamespace(Dim=lambda name: ("Dim", name))
    return t, calls


@contextlib.contextmanager
def installed(*names):
    """Makes `import name` succeed (present) for the given names and fail for onnx/onnxscript otherwise."""
    real_import = __import__

    def fake_import(name, *args, **kwargs):
        if name in ("onnx", "onnxscript"):
            if name in names:
                return types.ModuleType(name)
            raise ImportError("No module named " + repr(name))
        return real_import(name, *args, **kwargs)

    with mock.patch("builtins.__import__", side_effect=fake_import):
        yield


class ExporterChoice(unittest.TestCase):
    def test_torch_1_13_uses_the_legacy_exporter_and_says_why(self):
        t, _ = fake_torch("1.13.0", dynamo=False)
        chain, notes = exporters.exporter_chain("auto", t)
        self.assertEqual(chain, ["legacy"])
        self.assertIn("torch 1.13.0 has no torch.onnx.export(..., dynamo=True)", notes[0])

    def test_torch_2_with_onnxscript_tries_dynamo_then_legacy(self):
        t, _ = fake_torch("2.6.0", dynamo=True)
        with installed("onnx", "onnxscript"):
            self.assertEqual(exporters.exporter_chain("auto", t), (["dynamo", "legacy"], []))

    def test_torch_2_without_onnxscript_names_the_missing_package(self):
        t, _ = fake_torch("2.6.0", dynamo=True)
        with installed("onnx"):
            chain, notes = exporters.exporter_chain("auto", t)
        self.assertEqual(chain, ["legacy"])
        self.assertIn("needs the onnxscript package, which is not installed", notes[0])

    def test_asking_for_dynamo_where_it_cannot_run_is_a_usage_error(self):
        t, _ = fake_torch("1.13.0", dynamo=False)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as stop:
            exporters.exporter_chain("dynamo", t)
        self.assertEqual(stop.exception.code, ex.EXIT_USAGE)
        self.assertIn("error: --onnx-exporter dynamo: torch 1.13.0 has no", err.getvalue())

    def test_none_and_legacy_are_taken_as_asked(self):
        t, _ = fake_torch("2.6.0", dynamo=True)
        self.assertEqual(exporters.exporter_chain("none", t)[0], [])
        self.assertEqual(exporters.exporter_chain("legacy", t), (["legacy"], []))


class WithoutTorch(unittest.TestCase):
    def test_the_library_and_help_do_not_import_torch(self):
        import subprocess

        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
        code = ("import sys; sys.argv = ['x', '--help']; sys.path.insert(0, %r); import exfacegan_export\n"
                "try:\n    exfacegan_export.parser('d', 0).parse_args()\nexcept SystemExit:\n    pass\n"
                "print('torch imported' if 'torch' in sys.modules else 'no torch')" % root)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        self.assertIn("no torch", r.stdout, r.stderr)


class ExportArguments(unittest.TestCase):
    """What each exporter is asked for: names, opset, batch layout, dynamo on or off."""

    def export(self, exporter, graph, version, dynamo):
        t, calls = fake_torch(version, dynamo)
        with tempfile.TemporaryDirectory() as d, mock.patch.dict(sys.modules, {"torch": t}), \
                mock.patch.object(workarounds, "WORKAROUNDS", {workarounds.LEGACY_ONNX: [], workarounds.TORCHSCRIPT: []}), \
                contextlib.redirect_stdout(io.StringIO()):
            path = os.path.join(d, "g.onnx")
            open(path + ".data", "wb").close()  # a stale weight file of an earlier export
            external, opset, _ = exporters.export_onnx(exporter, graph, ("x", "t"), path)
        self.assertEqual(len(calls), 1)
        self.assertIsNone(external, "the stale .data file was removed before exporting")
        return calls[0], opset

    def test_dynamo_gets_a_dynamic_first_dimension_and_static_extras(self):
        g = Graph("synthesis", None, "ws", "img", 0, 18, [("transform", None)])
        call, opset = self.export("dynamo", g, "2.6.0", True)
        self.assertEqual(call["dynamic_shapes"], ({0: ("Dim", "batch")}, None))
        self.assertEqual((call["dynamo"], call["opset_version"], opset), (True, 18, 18))
        self.assertEqual(call["input_names"], ["ws", "transform"])
        self.assertEqual(call["output_names"], ["img"])

    def test_dynamo_with_a_static_batch_gets_no_dynamic_shapes(self):
        call, _ = self.export("dynamo", Graph("synthesis", None, "ws", "img", 4, 20), "2.6.0", True)
        self.assertIsNone(call["dynamic_shapes"])
        self.assertEqual(call["opset_version"], 20)

    def test_legacy_on_torch_2_turns_dynamo_off_and_writes_opset_17(self):
        call, opset = self.export("legacy", Graph("mapping", None, "z", "w", 0, 18), "2.9.0", True)
        self.assertIs(call["dynamo"], False)  # torch 2.9 defaults to dynamo=True
        self.assertEqual((call["opset_version"], opset), (17, 17))
        self.assertEqual(call["dynamic_axes"], {"z": {0: "batch"}, "w": {0: "batch"}})

    def test_legacy_on_torch_1_13_with_a_static_batch(self):
        call, _ = self.export("legacy", Graph("synthesis", None, "ws", "img", 4, 20), "1.13.0", False)
        self.assertNotIn("dynamo", call)
        self.assertIsNone(call["dynamic_axes"])


# modules with the patterns of the fake official code, for a fresh interpreter (symbolics registered
# by a workaround stay registered in a process, so "fails without it" needs a process of its own)
PATTERNS = {
    "static-conv-kernels": """
class M(torch.nn.Module):
    def forward(self, x):
        return upfirdn2d.upsample2d(x, torch.ones([4, 4]) / 16)
module, example, static = M(), torch.randn([2, 3, 4, 4]), 0
""",
    "affine-grid": """
from training.networks_stylegan3 import SynthesisInput
torch.manual_seed(0)
module, example, static = SynthesisInput(4, 6, 8).eval().requires_grad_(False), torch.randn([2, 4]), 2
""",
    "tile": """
class M(torch.nn.Module):
    def forward(self, x):
        return x.unsqueeze(0).tile([x.shape[0], 1, 1]) * 2
module, example, static = M(), torch.randn([3, 5]), 3
""",
}

EXPORT = """
import os, sys, tempfile, torch
sys.path.insert(0, %(root)r)
from exfacegan_export import exporters, workarounds
from exfacegan_export.graphs import Graph
from torch_utils.ops import upfirdn2d
%(pattern)s
every = workarounds.WORKAROUNDS[workarounds.LEGACY_ONNX]
for label, chosen in (("without", [w for w in every if w[0] != %(name)r]), ("with", every)):
    workarounds.WORKAROUNDS[workarounds.LEGACY_ONNX] = chosen
    with tempfile.TemporaryDirectory() as d, torch.no_grad():
        try:
            _, _, used = exporters.export_onnx("legacy", Graph("g", module, "x", "y", static), (example,),
                                               os.path.join(d, "g.onnx"))
            print(label, "USED", used)
        except Exception as e:
            print(label, "FAILED", type(e).__name__, e)
"""


@unittest.skipIf(torch is None, "needs torch")
class Workarounds(unittest.TestCase):
    """Each legacy workaround is needed by the fake official pattern it exists for, and works."""

    def assert_needed(self, name, error):
        """Exports the pattern in a fresh interpreter without the workaround, then with it."""
        import subprocess

        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
        r = subprocess.run([sys.executable, "-c", EXPORT % dict(root=root, pattern=PATTERNS[name], name=name)],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        without, with_it = [line for line in r.stdout.splitlines() if line.startswith(("without ", "with "))]
        self.assertIn("without FAILED", without)
        self.assertIn(error, without)
        self.assertIn("with USED", with_it)
        self.assertIn(repr(name), with_it)

    def test_static_conv_kernels_for_upfirdn2d(self):
        self.assert_needed("static-conv-kernels", "kernel of unknown shape")

    def test_affine_grid_symbolic(self):
        self.assert_needed("affine-grid", "affine_grid_generator")

    def test_tile_symbolic(self):
        self.assert_needed("tile", "aten::tile")

    def test_patched_functions_are_restored(self):
        from torch_utils.ops import conv2d_gradfix, fma

        before = (conv2d_gradfix.conv2d, conv2d_gradfix.conv_transpose2d, fma.fma)
        for kind in (workarounds.LEGACY_ONNX, workarounds.TORCHSCRIPT):
            with workarounds.applied(kind):
                pass
        self.assertEqual(before, (conv2d_gradfix.conv2d, conv2d_gradfix.conv_transpose2d, fma.fma))

    def test_affine_grid_symbolic_formula_is_torchs(self):
        theta = torch.randn([2, 2, 3])
        for align in (False, True):
            grid = torch.nn.functional.affine_grid(theta, [2, 1, 3, 5], align_corners=align)
            xs = torch.linspace(-1, 1, 5) if align else (2 * torch.arange(5) + 1) / 5 - 1
            ys = torch.linspace(-1, 1, 3) if align else (2 * torch.arange(3) + 1) / 3 - 1
            gy, gx = torch.meshgrid(ys, xs, indexing="ij")
            base = torch.stack([gx, gy, torch.ones([3, 5])], -1).reshape(1, 15, 3)
            self.assertLess((base @ theta.transpose(1, 2)).reshape(2, 3, 5, 2).sub(grid).abs().max().item(), 1e-6)

    def test_plain_fma_makes_the_trace_saveable(self):
        from torch_utils.ops import fma

        class Fma(torch.nn.Module):
            def forward(self, a):
                return fma.fma(a, a, a)

        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(Exception) as failure:
                torch.jit.save(torch.jit.trace(Fma(), (torch.randn(3),), check_trace=False), os.path.join(d, "a.pt"))
            self.assertIn("Could not export Python function call", str(failure.exception))
            traced, used = exporters.trace_torchscript(Graph("g", Fma(), "a", "y"), (torch.randn(3),))
            self.assertEqual(used, ["plain-fma"])
            with contextlib.redirect_stdout(io.StringIO()):
                loaded = exporters.save_torchscript(traced, os.path.join(d, "b.pt"), "{}")
        x = torch.randn(5)
        self.assertLess((loaded(x) - (x * x + x)).abs().max().item(), 1e-6)


@unittest.skipIf(torch is None, "needs torch")
class Pieces(unittest.TestCase):
    def test_static_batch_runs_in_padded_chunks(self):
        seen = []

        def fn(x, t):
            seen.append(x.shape[0])
            return x * 2 + t

        g = Graph("g", None, "x", "y", static_batch=4, extras=[("t", torch.tensor(1.0))])
        x = torch.arange(10.0).reshape(5, 2)
        out = g.run(fn, x)
        self.assertEqual(seen, [4, 4])
        self.assertTrue((torch.from_numpy(out) == x * 2 + 1).all())
        self.assertEqual(g.run(fn, x, {"t": torch.tensor(0.0)}).tolist(), (x * 2).tolist())

    def test_rotation_transform_is_the_inverse_of_gen_images_matrix(self):
        angle, tx, ty = 30.0, 0.125, -0.0625
        s, c = math.sin(angle / 360 * 2 * math.pi), math.cos(angle / 360 * 2 * math.pi)
        make_transform = torch.tensor([[c, s, tx], [-s, c, ty], [0, 0, 1]])  # gen_images.py's, by its documented formula
        product = ex.rotation_transform(angle, (tx, ty)) @ make_transform
        self.assertLess((product - torch.eye(3)).abs().max().item(), 1e-6)

    def test_call_with_buffer_in_eager_mode_and_under_tracing_leaves_the_buffer(self):
        from training.networks_stylegan3 import SynthesisInput

        torch.manual_seed(0)
        module = SynthesisInput(4, 6, 8).eval().requires_grad_(False)
        w = torch.randn([2, 4])
        m = ex.rotation_transform()
        with torch.no_grad():
            module.transform.copy_(m)
            expected = module(w)
            module.transform.copy_(torch.eye(3))
            got = ex.call_with_buffer(module, "transform", m, (w,), {})
            traced = torch.jit.trace(lambda x, t: ex.call_with_buffer(module, "transform", t, (x,), {}), (w, m))
        self.assertTrue(torch.equal(module.transform, torch.eye(3)))
        self.assertLess((got - expected).abs().max().item(), 1e-6)
        self.assertLess((traced(w, m) - expected).abs().max().item(), 1e-6)
        self.assertLess((traced(w, torch.eye(3)) - module(w)).abs().max().item(), 1e-6, "the transform is a trace input")

    def test_check_report_fails_beyond_tolerance_and_on_shape_mismatch(self):
        from exfacegan_export.checks import Report

        r = Report(1e-3)
        with contextlib.redirect_stdout(io.StringIO()):
            r.compare("a", "a", torch.zeros(3), torch.full([3], 5e-4), image=True)
            self.assertEqual(r.failures, [])
            self.assertAlmostEqual(r.grey_levels["a"], 5e-4 * 127.5)
            r.compare("b", "b", torch.zeros(3), torch.full([3], 2e-3))
            r.compare("c", "c", torch.zeros(3), torch.zeros(4))
        self.assertEqual(len(r.failures), 2)
        self.assertIn("shape [3] differs from PyTorch's [4]", r.failures[1])


if __name__ == "__main__":
    unittest.main()
