"""The model descriptor (docs/backbones/descriptor.md) and the files beside it."""
import hashlib
import json
import os

DESCRIPTOR_VERSION = 1


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_npy(path, array):
    import numpy as np

    np.save(path, np.ascontiguousarray(array, dtype="<f4"))


def io_json(input_name, input_shape, output_name, output_shape):
    return json.dumps({"inputs": [{"name": input_name, "shape": input_shape}],
                       "outputs": [{"name": output_name, "shape": output_shape}]})


def graph_entry(file, static_batch=0, external_data=None):
    e = {"file": file}
    if static_batch:
        e["static_batch"] = static_batch
    if external_data:
        e["external_data"] = external_data
    return e


def write_descriptor(out, backbone, z_dim, w_dim, num_ws, resolution, mapping, synthesis, source, components=None):
    """Writes out/descriptor.json. `mapping` and `synthesis` hold the graph entries by format
    ({"onnx": graph_entry(...), "torchscript": ...}) and any extra field of the entry (e.g.
    "transform_input"); the preferred format is ONNX when both graphs have it."""
    fmt = "onnx" if "onnx" in mapping and "onnx" in synthesis else "torchscript"
    d = {"format_version": DESCRIPTOR_VERSION, "backbone": backbone, "format": fmt,
         "z_dim": int(z_dim), "w_dim": int(w_dim), "num_ws": int(num_ws)}
    if components:
        d["components"] = int(components)
    d.update({"resolution": int(resolution), "output_range": [-1, 1], "channel_order": "RGB", "image_layout": "NCHW",
              "w_avg": "w_avg.npy",
              "mapping": dict({"input": "z", "output": "w"}, **mapping),
              "synthesis": dict({"input": "ws", "output": "img"}, **synthesis),
              "source": source})
    path = os.path.join(out, "descriptor.json")
    with open(path, "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    return path


def source_info(pickle_path, script, extra):
    import torch

    info = {"pickle": os.path.basename(pickle_path), "pickle_sha256": sha256(pickle_path), "exporter": script,
            "torch": torch.__version__}
    info.update(extra)
    return info
