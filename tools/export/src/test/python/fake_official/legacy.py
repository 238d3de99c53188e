"""load_network_pkl as the export scripts call it: a pickled dict holding G_ema."""
import pickle


def load_network_pkl(f):
    data = pickle.load(f)
    if not isinstance(data, dict) or "G_ema" not in data:
        raise ValueError("not a network pickle: no G_ema")
    return data
