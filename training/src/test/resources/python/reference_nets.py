"""Independent PyTorch (torch.nn) versions of the networks exfacegan's training writes as TorchScript.

Written from the published descriptions (insightface's iResNet layout and parameter names; the
MobileFaceNet paper's table), not from our Java code. Usage:

    python3 reference_nets.py MODEL.pt TYPE WIDTH EMBEDDING STEM_STRIDE

loads MODEL.pt with torch.jit.load, copies its state_dict into the reference network (strict:
every name and shape must match), and prints as JSON the largest differences between the two in
inference mode (random running statistics), in training mode (batch statistics), and between
their gradients after one backward pass.
"""
import json
import sys

import torch
import torch.nn as nn


def scaled(c, width):
    return max(4, int(round(c * width / 4)) * 4)


class IBasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, downsample):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-5)
        self.prelu = nn.PReLU(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout, eps=1e-5)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        shortcut = x if self.downsample is None else self.downsample(x)
        return out + shortcut


class IResNet(nn.Module):
    def __init__(self, blocks, width, embedding, stem_stride):
        super().__init__()
        w = [scaled(c, width) for c in (64, 128, 256, 512)]
        self.conv1 = nn.Conv2d(3, w[0], 3, stem_stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(w[0], eps=1e-5)
        self.prelu = nn.PReLU(w[0])
        cin = w[0]
        for s in range(4):
            layers = [IBasicBlock(cin, w[s], 2, nn.Sequential(nn.Conv2d(cin, w[s], 1, 2, bias=False), nn.BatchNorm2d(w[s], eps=1e-5)))]
            layers += [IBasicBlock(w[s], w[s], 1, None) for _ in range(blocks[s] - 1)]
            setattr(self, "layer%d" % (s + 1), nn.Sequential(*layers))
            cin = w[s]
        side = 112
        for _ in range(4 + (stem_stride == 2)):
            side = (side - 1) // 2 + 1
        self.bn2 = nn.BatchNorm2d(w[3], eps=1e-5)
        self.dropout = nn.Dropout(0.0)
        self.fc = nn.Linear(w[3] * side * side, embedding)
        self.features = nn.BatchNorm1d(embedding, eps=1e-5)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.fc(self.dropout(torch.flatten(self.bn2(x), 1)))
        return self.features(x)


class ConvBnPrelu(nn.Module):
    def __init__(self, cin, cout, k, stride, pad, groups):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.prelu = nn.PReLU(cout)

    def forward(self, x):
        return self.prelu(self.bn(self.conv(x)))


class ConvBn(nn.Module):
    def __init__(self, cin, cout, k, stride, pad, groups):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class Bottleneck(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hidden = cin * t
        self.expand = ConvBnPrelu(cin, hidden, 1, 1, 0, 1)
        self.depthwise = ConvBnPrelu(hidden, hidden, 3, stride, 1, hidden)
        self.project = ConvBn(hidden, cout, 1, 1, 0, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        out = self.project(self.depthwise(self.expand(x)))
        return out + x if self.residual else out


class MobileFaceNet(nn.Module):
    # (t, c, n, s) rows of the paper's Table 1
    STAGES = [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]

    def __init__(self, width, embedding):
        super().__init__()
        c64, c512 = scaled(64, width), scaled(512, width)
        self.conv1 = ConvBnPrelu(3, c64, 3, 2, 1, 1)
        self.conv2_dw = ConvBnPrelu(c64, c64, 3, 1, 1, c64)
        blocks, cin = [], c64
        for t, c, n, s in self.STAGES:
            for i in range(n):
                blocks.append(Bottleneck(cin, scaled(c, width), s if i == 0 else 1, t))
                cin = scaled(c, width)
        self.blocks = nn.Sequential(*blocks)
        self.conv_sep = ConvBnPrelu(cin, c512, 1, 1, 0, 1)
        self.gdc = ConvBn(c512, c512, 7, 1, 0, c512)
        self.linear = nn.Linear(c512, embedding, bias=False)
        self.features = nn.BatchNorm1d(embedding)

    def forward(self, x):
        x = self.conv_sep(self.blocks(self.conv2_dw(self.conv1(x))))
        return self.features(self.linear(torch.flatten(self.gdc(x), 1)))


def reference(kind, width, embedding, stem):
    if kind == "mobilefacenet":
        return MobileFaceNet(width, embedding)
    blocks = {"iresnet18": (2, 2, 2, 2), "iresnet34": (3, 4, 6, 3), "iresnet50": (3, 4, 14, 3)}[kind]
    return IResNet(blocks, width, embedding, stem)


def main():
    path, kind, width, embedding, stem = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.manual_seed(0)
    scripted = torch.jit.load(path)
    ref = reference(kind, width, embedding, stem)
    state = {k: v for k, v in scripted.state_dict().items()}
    # running statistics other than 0/1, so inference mode really uses them
    for k, v in state.items():
        if k.endswith("running_mean"):
            state[k] = torch.randn_like(v) * 0.1
        elif k.endswith("running_var"):
            state[k] = torch.rand_like(v) + 0.5
    missing, unexpected = ref.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        print(json.dumps({"missing": missing, "unexpected": unexpected}))
        sys.exit(3)
    scripted.load_state_dict(state)
    x = torch.randn(4, 3, 112, 112)
    scripted.eval()
    ref.eval()
    with torch.no_grad():
        eval_diff = (scripted(x) - ref(x)).abs().max().item()
    scripted.train()
    ref.train()
    a, b = scripted(x), ref(x)
    train_diff = (a - b).abs().max().item()
    a.square().sum().backward()
    b.square().sum().backward()
    grads = dict(ref.named_parameters())
    grad_diff = max((p.grad - grads[n].grad).abs().max().item() for n, p in scripted.named_parameters() if p.grad is not None)
    frozen = [n for n, p in scripted.named_parameters() if not p.requires_grad]
    print(json.dumps({"eval": eval_diff, "train": train_diff, "grad": grad_diff, "scale": b.abs().max().item(),
                      "parameters": sum(p.numel() for p in ref.parameters()), "frozen": frozen}))


if __name__ == "__main__":
    main()
