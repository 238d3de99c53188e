"""load_network as the GANsformer export script calls it: a pickled dict holding Gs."""
import pickle

import gdown  # noqa: F401  (the official loader imports it through dnnlib; users often lack it)


def load_network(filename, eval=False):
    with open(filename, "rb") as f:
        data = pickle.load(f)
    if not isinstance(data, dict) or "Gs" not in data:
        raise ValueError("not a network pickle: no Gs")
    return data
