"""A tiny StyleGAN3-shaped generator (exfacegan test fixture): the synthesis starts from Fourier
features sampled on an affine_grid, rotated and shifted by an affine of w and by the user's inverse
`transform` buffer (what NVlabs' gen_images.py sets for --rotate/--translate), followed by
modulated convolutions grouped over the batch (so a trace bakes the batch size)."""
import math

import torch
from torch_utils.ops import conv2d_gradfix
from training.networks_stylegan2 import MappingNetwork, ModulatedLayer, dense


class SynthesisInput(torch.nn.Module):
    def __init__(self, w_dim, channels, size, bandwidth=2.0, sampling_rate=16.0):
        super().__init__()
        self.size = size
        self.sampling_rate = sampling_rate
        freqs = torch.randn([channels, 2])
        freqs = freqs / freqs.norm(dim=1, keepdim=True) * torch.rand([channels, 1]) * bandwidth
        self.register_buffer("freqs", freqs)
        self.register_buffer("phases", torch.rand([channels]) - 0.5)
        self.register_buffer("transform", torch.eye(3))
        self.affine = dense(w_dim, 4)
        with torch.no_grad():
            self.affine.bias.copy_(torch.tensor([1.0, 0.0, 0.0, 0.0]))

    def forward(self, w):
        t = self.affine(w)
        t = t / t[:, :2].norm(dim=1, keepdim=True)
        zero, one = torch.zeros_like(t[:, 0]), torch.ones_like(t[:, 0])
        rotate = torch.stack([torch.stack([t[:, 0], -t[:, 1], zero], 1), torch.stack([t[:, 1], t[:, 0], zero], 1),
                              torch.stack([zero, zero, one], 1)], 1)
        shift = torch.stack([torch.stack([one, zero, -t[:, 2]], 1), torch.stack([zero, one, -t[:, 3]], 1),
                             torch.stack([zero, zero, one], 1)], 1)
        m = rotate @ shift @ self.transform
        freqs = self.freqs @ m[:, :2, :2]  # [n, C, 2]
        phases = self.phases + (self.freqs @ m[:, :2, 2:]).squeeze(2)  # [n, C]
        scale = 0.5 * self.size / self.sampling_rate
        theta = torch.eye(2, 3)  # filled in place: the trace keeps affine_grid instead of folding it to a constant
        theta[0, 0] = scale
        theta[1, 1] = scale
        grid = torch.nn.functional.affine_grid(theta.unsqueeze(0), [1, 1, self.size, self.size], align_corners=False)
        x = grid.reshape(1, -1, 2) @ freqs.transpose(1, 2)  # [n, H*W, C]
        x = torch.sin((x + phases.unsqueeze(1)) * (2 * math.pi))
        return x.transpose(1, 2).reshape(w.shape[0], -1, self.size, self.size)


class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, img_resolution, channels=8, num_layers=3):
        super().__init__()
        self.input = SynthesisInput(w_dim, channels, img_resolution)
        self.layer_names = ["L%d" % i for i in range(num_layers)]
        for name in self.layer_names:
            setattr(self, name, ModulatedLayer(w_dim, channels, channels, img_resolution))
        self.torgb_affine = dense(w_dim, channels, bias_init=1.0)
        self.torgb_weight = torch.nn.Parameter(torch.randn([3, channels, 1, 1]) / math.sqrt(channels))
        self.num_ws = num_layers + 2

    def forward(self, ws, noise_mode="random", force_fp32=False):
        x = self.input(ws[:, 0])
        for i, name in enumerate(self.layer_names):
            x = getattr(self, name)(x, ws[:, i + 1], noise_mode, fused_modconv=True)
        return conv2d_gradfix.conv2d(x * self.torgb_affine(ws[:, -1])[:, :, None, None], self.torgb_weight)


class Generator(torch.nn.Module):
    def __init__(self, z_dim=8, w_dim=8, img_resolution=16, channels=8):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.img_resolution, self.img_channels = z_dim, 0, w_dim, img_resolution, 3
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, channels)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, w_dim, self.num_ws)

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None, **synthesis_kwargs):
        ws = self.mapping(z, c, truncation_psi=truncation_psi, truncation_cutoff=truncation_cutoff)
        return self.synthesis(ws, **synthesis_kwargs)
