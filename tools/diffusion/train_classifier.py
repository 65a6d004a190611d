"""Trains a tiny Fashion-MNIST CNN (inputs in [-1,1]) and exports it to ONNX for tests and benches.

  /usr/bin/python3 tools/diffusion/train_classifier.py --epochs 2 --out models/classifier/fashion-cnn.onnx
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SmallCNN, load_fashion  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default="models/classifier/fashion-cnn.onnx")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    xi, yi = load_fashion("train")
    x = torch.from_numpy(xi).float() / 127.5 - 1
    y = torch.from_numpy(yi)
    xt_, yt_ = load_fashion("test")
    xt = torch.from_numpy(xt_).float() / 127.5 - 1
    yt = torch.from_numpy(yt_)
    m = SmallCNN()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    start = time.time()
    for ep in range(a.epochs):
        perm = torch.randperm(x.shape[0])
        m.train()
        for i in range(0, x.shape[0], 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(m(x[idx]), y[idx])
            opt.zero_grad(); loss.backward(); opt.step()
        m.eval()
        with torch.no_grad():
            acc = sum((m(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item() for i in range(0, 10000, 1000)) / 10000
        print(f"epoch {ep + 1} loss {loss.item():.4f} test accuracy {acc:.4f} t {time.time() - start:.0f}s", flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.onnx.export(m, torch.zeros(1, 1, 28, 28), a.out, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}}, opset_version=17)
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes), test accuracy {acc:.4f}, {time.time() - start:.0f}s")


if __name__ == "__main__":
    main()
