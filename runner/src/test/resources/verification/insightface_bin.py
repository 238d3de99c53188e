"""Writes and checks insightface .bin files with Python's own pickle, for InsightfaceBinTest.

  python3 insightface_bin.py write OUT PROTOCOL LABELS IMAGE...
      pickles (list of the image files' bytes, list of bools) the way insightface's lfw2pack.py
      does: pickle.dump((bins, issame_list), f, protocol=PROTOCOL). PROTOCOL "highest" is
      pickle.HIGHEST_PROTOCOL (what lfw2pack.py passes), "py2" writes what Python 2's pickle
      writes at its highest protocol (2): str items as SHORT_BINSTRING / BINSTRING. LABELS is a
      string of 0 and 1.
  python3 insightface_bin.py check FILE
      loads FILE as insightface's verification.py does and prints JSON: the item types, the
      SHA-256 of each image and the labels.
"""
import hashlib
import json
import pickle
import struct
import sys


def py2_pickle(bins, issame):
    # Python 2's pickle.dump(obj, f, 2) for a tuple (list of str, list of bool): str is
    # SHORT_BINSTRING / BINSTRING, each item memoized with BINPUT / LONG_BINPUT, APPENDS in batches of 1000.
    out = bytearray(b"\x80\x02")
    memo = [0]

    def put():
        i = memo[0]
        memo[0] += 1
        out.extend(b"q" + bytes([i]) if i < 256 else b"r" + struct.pack("<I", i))

    def save_list(items, save_item):
        out.extend(b"]")
        put()
        for start in range(0, len(items), 1000):
            out.extend(b"(")
            for x in items[start:start + 1000]:
                save_item(x)
            out.extend(b"e")

    def save_str(s):
        if len(s) < 256:
            out.extend(b"U" + bytes([len(s)]) + s)
        else:
            out.extend(b"T" + struct.pack("<i", len(s)) + s)
        put()

    save_list(bins, save_str)
    save_list(issame, lambda b: out.extend(b"\x88" if b else b"\x89"))
    out.extend(b"\x86")
    put()
    out.extend(b".")
    return bytes(out)


def write(path, protocol, labels, images):
    bins = []
    for p in images:
        with open(p, "rb") as fin:
            bins.append(fin.read())
    issame_list = [c == "1" for c in labels]
    if protocol == "py2":
        data = py2_pickle(bins, issame_list)
        back = pickle.loads(data, encoding="bytes")  # how insightface reads Python 2 files
        assert back == (bins, issame_list), "py2 pickle does not round-trip"
        with open(path, "wb") as f:
            f.write(data)
        return
    proto = pickle.HIGHEST_PROTOCOL if protocol == "highest" else int(protocol)
    with open(path, "wb") as f:
        pickle.dump((bins, issame_list), f, protocol=proto)


def check(path):
    with open(path, "rb") as f:
        bins, issame_list = pickle.load(f, encoding="bytes")
    print(json.dumps({
        "bins_type": type(bins).__name__,
        "item_types": sorted({type(b).__name__ for b in bins}),
        "label_types": sorted({type(x).__name__ for x in issame_list}),
        "sha256": [hashlib.sha256(b).hexdigest() for b in bins],
        "issame": issame_list,
    }))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        check(sys.argv[2])
