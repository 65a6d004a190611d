"""Shared bits for the Fashion-MNIST diffusion tools: data loading and the UNet."""
import gzip
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
NULL_CLASS = len(CLASSES)  # id 10: "no class", for classifier-free guidance


def load_fashion(split="train"):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"), "rb") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"), "rb") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images.copy(), labels.astype(np.int64)


def linear_betas(T=1000, beta_start=1e-4, beta_end=0.02):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.e = nn.Linear(emb, cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.e(e)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    """Class-conditional epsilon-prediction UNet for 1x28x28 images: 28 -> 14 -> 7 and back."""

    def __init__(self, c1=32, c2=64, emb=128, num_classes=len(CLASSES) + 1):
        super().__init__()
        self.emb_dim = emb
        self.t_mlp = nn.Sequential(nn.Linear(emb, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.y_emb = nn.Embedding(num_classes, emb)
        self.inp = nn.Conv2d(1, c1, 3, padding=1)
        self.d1 = ResBlock(c1, c1, emb)
        self.down1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)  # 14
        self.d2 = ResBlock(c1, c2, emb)
        self.down2 = nn.Conv2d(c2, c2, 3, stride=2, padding=1)  # 7
        self.m1 = ResBlock(c2, c2, emb)
        self.m2 = ResBlock(c2, c2, emb)
        self.u2 = ResBlock(c2 + c2, c2, emb)  # 14
        self.u1 = ResBlock(c2 + c1, c1, emb)  # 28
        self.out_n = nn.GroupNorm(8, c1)
        self.out = nn.Conv2d(c1, 1, 3, padding=1)

    def forward(self, x, t, y):
        e = self.t_mlp(timestep_embedding(t, self.emb_dim)) + self.y_emb(y)
        e = F.silu(e)
        h0 = self.d1(self.inp(x), e)  # c1 @28
        h1 = self.d2(self.down1(h0), e)  # c2 @14
        h = self.m2(self.m1(self.down2(h1), e), e)  # c2 @7
        h = F.interpolate(h, scale_factor=2.0, mode="nearest")
        h = self.u2(torch.cat([h, h1], 1), e)
        h = F.interpolate(h, scale_factor=2.0, mode="nearest")
        h = self.u1(torch.cat([h, h0], 1), e)
        return self.out(F.silu(self.out_n(h)))


class SmallCNN(nn.Module):
    """Fashion-MNIST classifier used by tests and benches to label generated samples. Input: [N,1,28,28] in [-1,1]."""

    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.f(x)
