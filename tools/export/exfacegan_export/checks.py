"""Comparing exported graphs with PyTorch, and the reference data for comparing them elsewhere."""
import json
import os

from .descriptor import write_npy

# images are in [-1, 1]; the plugins map them to 0..255 (docs/backbones/descriptor.md)
GREY_LEVELS_PER_UNIT = 127.5


def max_diff(a, b):
    import numpy as np

    a = a.detach().numpy() if hasattr(a, "detach") else a
    b = b.detach().numpy() if hasattr(b, "detach") else b
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("shape %s differs from PyTorch's %s" % (list(a.shape), list(b.shape)))
    return float(np.max(np.abs(a - b)))


def onnx_runner():
    """(f(path) -> session runner, None) when onnxruntime is installed, else (None, why not)."""
    try:
        import onnxruntime
    except ImportError:
        return None, "onnxruntime is not installed (pip install onnxruntime)"

    def load(path):
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]

        def run(*inputs):
            feeds = {name: x.detach().numpy() if hasattr(x, "detach") else x for name, x in zip(names, inputs)}
            return session.run(None, feeds)[0]

        return run

    return load, None


class Report:
    """Differences between exports and PyTorch, judged against one tolerance (in output units)."""

    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.diffs = {}
        self.grey_levels = {}
        self.not_checked = {}
        self.failures = []

    def compare(self, key, label, got, expected, image=False):
        try:
            diff = max_diff(got, expected)
        except ValueError as e:
            self.diffs[key] = None
            self.failures.append("%s: %s" % (label, e))
            print("%-52s %s" % (label, e))
            return
        self.diffs[key] = diff
        text = "max |diff| = %.3g" % diff
        if image:
            self.grey_levels[key] = diff * GREY_LEVELS_PER_UNIT
            text += " (%.3g grey levels)" % self.grey_levels[key]
        print("%-52s %s" % (label, text))
        if not diff <= self.tolerance:
            self.failures.append("%s: max |diff| %.3g > tolerance %.3g" % (label, diff, self.tolerance))

    def skip(self, key, reason):
        self.not_checked[key] = reason
        print("note: %s not checked: %s" % (key, reason))

    def fail(self, message):
        self.failures.append(message)

    def source(self, **info):
        s = dict(info, tolerance=self.tolerance, max_abs_diff=self.diffs)
        if self.grey_levels:
            s["max_abs_diff_grey_levels"] = self.grey_levels
        if self.not_checked:
            s["not_checked"] = self.not_checked
        return s


def save_reference(folder, arrays, info):
    """Writes each array as folder/<name>.npy (float32) and info as folder/reference.json."""
    os.makedirs(folder, exist_ok=True)
    for name, array in arrays.items():
        write_npy(os.path.join(folder, name + ".npy"), array.detach().numpy() if hasattr(array, "detach") else array)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(dict(info, arrays=sorted(arrays)), f, indent=2)
        f.write("\n")
    print("wrote the check latents and PyTorch outputs to", folder)
