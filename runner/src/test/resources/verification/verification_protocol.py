"""Independent NumPy implementation of insightface's verification protocol, for VerificationProtocolTest.

Usage: python3 verification_protocol.py scores.npy labels.npy FOLDS  -> prints one JSON object.

Written from the protocol's description (insightface eval/verification.py; scikit-learn's
unshuffled KFold; pyeer's EER), not from the Java code: accuracy per fold at the first threshold
of np.arange(0, 4, 0.01) on the squared distance 2 - 2 cos that maximises the accuracy on the
other folds; TAR at the smallest score threshold whose FAR <= 1e-3; EER as pyeer.
"""
import json
import sys

import numpy as np


def kfold(n, k):
    sizes = np.full(k, n // k, dtype=int)
    sizes[: n % k] += 1
    stops = np.cumsum(sizes)
    starts = stops - sizes
    idx = np.arange(n)
    for a, b in zip(starts, stops):
        test = idx[a:b]
        train = np.concatenate([idx[:a], idx[b:]])
        yield train, test


def accuracy(threshold, dist, same):
    predict = np.less(dist, threshold)
    tp = np.sum(np.logical_and(predict, same))
    tn = np.sum(np.logical_and(~predict, ~same))
    return float(tp + tn) / dist.size


def rates(genuine, impostor):
    thresholds = np.unique(np.concatenate([genuine, impostor, [np.inf]]))
    fmr = np.array([np.mean(impostor >= t) for t in thresholds])
    fnmr = np.array([np.mean(genuine < t) for t in thresholds])
    return thresholds, fmr, fnmr


def main():
    scores = np.load(sys.argv[1]).astype(np.float64)
    same = np.load(sys.argv[2]).astype(bool)
    folds = int(sys.argv[3])
    dist = 2 - 2 * scores
    thresholds = np.arange(0, 4, 0.01)
    accs, chosen = [], []
    for train, test in kfold(len(scores), folds):
        train_acc = np.array([accuracy(t, dist[train], same[train]) for t in thresholds])
        best = int(np.argmax(train_acc))
        accs.append(accuracy(thresholds[best], dist[test], same[test]))
        chosen.append(1 - thresholds[best] / 2)
    genuine, impostor = scores[same], scores[~same]
    t, fmr, fnmr = rates(genuine, impostor)
    k = int(np.argmax(fmr <= 1e-3))  # first (smallest) threshold with FMR <= target; +inf always qualifies
    tar, tar_threshold = 1 - fnmr[k], t[k]
    t2 = int(np.argmax(fmr <= fnmr))
    t1 = t2 - 1 if (fmr[t2] != fnmr[t2] and t2 > 0) else t2
    e = t1 if fmr[t1] + fnmr[t1] <= fmr[t2] + fnmr[t2] else t2
    out = {
        "fold_accuracies": accs,
        "fold_thresholds": chosen,
        "accuracy_mean": float(np.mean(accs)),
        "accuracy_std": float(np.std(accs)),
        "tar": float(tar),
        "tar_threshold": float(tar_threshold),
        "eer": float((fmr[e] + fnmr[e]) / 2),
        "eer_threshold": float(t[e]),
    }
    # JSON has no infinities: those go as text ("inf", "-inf")
    print(json.dumps({k: v if not isinstance(v, float) or np.isfinite(v) else str(v) for k, v in out.items()}))


if __name__ == "__main__":
    main()
