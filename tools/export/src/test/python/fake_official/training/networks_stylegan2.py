"""A tiny StyleGAN2-shaped generator (exfacegan test fixture): a mapping network with w_avg and
truncation, a synthesis network of modulated 3x3 convolutions from a learned 4x4 constant,
upsampled 2x per block through torch_utils.ops.upfirdn2d, with const/random noise and the choice
of one grouped convolution over the batch (fused_modconv) or a convolution and an fma."""
import math

import torch
from torch_utils.ops import conv2d_gradfix, fma, upfirdn2d


def lrelu(x):
    return torch.nn.functional.leaky_relu(x, 0.2) * math.sqrt(2)


def dense(n_in, n_out, bias_init=0.0):
    layer = torch.nn.Linear(n_in, n_out)
    torch.nn.init.normal_(layer.weight, std=1 / math.sqrt(n_in))
    torch.nn.init.constant_(layer.bias, bias_init)
    return layer


class MappingNetwork(torch.nn.Module):
    def __init__(self, z_dim, w_dim, num_ws):
        super().__init__()
        self.num_ws = num_ws
        self.fc0 = dense(z_dim, w_dim)
        self.fc1 = dense(w_dim, w_dim)
        self.register_buffer("w_avg", torch.zeros([w_dim]))

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None):
        x = z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()
        x = self.fc1(lrelu(self.fc0(x)))
        x = x.unsqueeze(1).repeat([1, self.num_ws, 1])
        if truncation_psi != 1:
            cut = self.num_ws if truncation_cutoff is None else truncation_cutoff
            x[:, :cut] = self.w_avg.lerp(x[:, :cut], truncation_psi)
        return x


class ModulatedLayer(torch.nn.Module):
    def __init__(self, w_dim, channels_in, channels_out, resolution, up=False):
        super().__init__()
        self.up = up
        self.affine = dense(w_dim, channels_in, bias_init=1.0)
        self.weight = torch.nn.Parameter(torch.randn([channels_out, channels_in, 3, 3]) / math.sqrt(channels_in * 9))
        self.bias = torch.nn.Parameter(torch.randn([channels_out]) * 0.1)
        self.noise_strength = torch.nn.Parameter(torch.tensor(0.2))
        self.register_buffer("noise_const", torch.randn([resolution, resolution]))
        f = torch.tensor([1.0, 3.0, 3.0, 1.0])
        self.register_buffer("resample_filter", torch.outer(f, f) / f.sum() ** 2)

    def forward(self, x, w, noise_mode, fused_modconv):
        if self.up:
            x = upfirdn2d.upsample2d(x, self.resample_filter)
        styles = self.affine(w)
        modulated = self.weight.unsqueeze(0) * styles[:, None, :, None, None]
        dcoefs = (modulated.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt()
        if noise_mode == "const":
            noise = self.noise_const * self.noise_strength
        elif noise_mode == "random":
            noise = torch.randn([x.shape[0], 1, x.shape[2], x.shape[3]]) * self.noise_strength
        else:
            noise = torch.zeros([])
        if fused_modconv:  # one convolution, grouped over the batch
            n = x.shape[0]
            weight = (modulated * dcoefs[:, :, None, None, None]).reshape(-1, *self.weight.shape[1:])
            x = conv2d_gradfix.conv2d(x.reshape(1, -1, *x.shape[2:]), weight, padding=1, groups=n)
            x = x.reshape(n, -1, *x.shape[2:]) + noise
        else:
            x = conv2d_gradfix.conv2d(x * styles[:, :, None, None], self.weight, padding=1)
            x = fma.fma(x, dcoefs[:, :, None, None], noise)
        return lrelu(x + self.bias[None, :, None, None])


class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, img_resolution, channels=8, trap="none"):
        super().__init__()
        self.trap = trap
        self.block_resolutions = [2 ** i for i in range(2, int(math.log2(img_resolution)) + 1)]
        self.const = torch.nn.Parameter(torch.randn([channels, 4, 4]))
        self.layers = torch.nn.ModuleList([ModulatedLayer(w_dim, channels, channels, r, up=r > 4)
                                           for r in self.block_resolutions])
        self.torgb_affine = dense(w_dim, channels, bias_init=1.0)
        self.torgb_weight = torch.nn.Parameter(torch.randn([3, channels, 1, 1]) / math.sqrt(channels))
        self.num_ws = len(self.layers) + 1

    def forward(self, ws, noise_mode="random", force_fp32=False, fused_modconv=None):
        if fused_modconv is None:
            fused_modconv = not self.training
        x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
        for i, layer in enumerate(self.layers):
            x = layer(x, ws[:, i], noise_mode, fused_modconv)
        img = conv2d_gradfix.conv2d(x * self.torgb_affine(ws[:, -1])[:, :, None, None], self.torgb_weight)
        if self.trap == "trace-branch":  # a Python number a trace bakes in from its example batch
            img = img + 0.1 * float(ws[:, 0, 0].sum())
        elif self.trap == "unexportable":  # an operator without an ONNX symbolic (opset 17)
            img = img + 0.01 * torch.erfinv(torch.tanh(img) * 0.5)
        return img


class Generator(torch.nn.Module):
    def __init__(self, z_dim=8, w_dim=8, img_resolution=16, channels=8, trap="none"):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.img_resolution, self.img_channels = z_dim, 0, w_dim, img_resolution, 3
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, channels, trap)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, w_dim, self.num_ws)

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None, **synthesis_kwargs):
        ws = self.mapping(z, c, truncation_psi=truncation_psi, truncation_cutoff=truncation_cutoff)
        img = self.synthesis(ws, **synthesis_kwargs)
        if self.synthesis.trap == "official-drift":  # the whole generator does more than mapping + synthesis
            img = img + 0.01
        return img
