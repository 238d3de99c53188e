"""The PyTorch side of exfacegan's training benchmark (BENCHMARKS.md, section 6).

Trains a TorchScript network written by exfacegan (torch.jit.load) with the same step as
exfacegan's trainer (org.exfacegan.training.engine.MarginTraining): the batch copied in from host
memory, CosFace on normalised embeddings and class weights, softmax cross-entropy, then per tensor
v = momentum * v + lr * (g + wd * w); w -= v. Usage:

    python3 torch_training.py MODEL.pt INPUT.npy LABELS.npy HEAD.npy THREADS WARMUP STEPS

prints one JSON line: images per second over the timed steps (wall clock, and per second of the
process's CPU time), the losses of every step, the peak resident memory (VmHWM) and the torch version.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

S, M, LR, MOMENTUM, WD = 64.0, 0.35, 0.1, 0.9, 5e-4


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def main():
    path, inputs, labels, head_init = sys.argv[1:5]
    threads, warmup, steps = (int(a) for a in sys.argv[5:8])
    torch.set_num_threads(threads)
    net = torch.jit.load(path)
    net.train()
    xs = np.load(inputs)
    y = torch.from_numpy(np.load(labels))
    head = torch.from_numpy(np.load(head_init)).requires_grad_()
    classes = head.shape[0]
    params = [p for p in net.parameters() if p.requires_grad] + [head]
    velocity = [torch.zeros_like(p) for p in params]
    one_hot = F.one_hot(y, classes).float()
    losses = []
    start = cpu_start = None
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
            cpu_start = time.process_time()
        torch.manual_seed(step)
        x = torch.tensor(xs)  # the batch copied in from host memory every step, as a trainer gets it
        cos = F.normalize(net(x), dim=1, eps=1e-12) @ F.normalize(head, dim=1, eps=1e-12).t()
        target = (cos * one_hot).sum(1, keepdim=True)
        logits = (cos + one_hot * ((target - M) - target)) * S
        loss = -(F.log_softmax(logits, dim=1) * one_hot).sum(1).mean()
        loss.backward()
        losses.append(loss.item())
        _ = cos.argmax(1)
        with torch.no_grad():
            for p, v in zip(params, velocity):
                g = p.grad.clone()
                g.add_(p, alpha=WD).mul_(LR)
                v.mul_(MOMENTUM).add_(g)
                p.sub_(v)
                p.grad.zero_()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({"images_per_second": steps * xs.shape[0] / seconds,
                      "images_per_cpu_second": steps * xs.shape[0] / cpu_seconds, "losses": losses, "peak_rss_mb": peak_rss_mb(),
                      "threads": torch.get_num_threads(), "version": torch.__version__}))


if __name__ == "__main__":
    main()
