"""Exports the trained UNet (EMA weights) to ONNX with a manifest.json beside it.

  /usr/bin/python3 tools/diffusion/export_onnx.py --ckpt tools/diffusion/out/unet.pt --out models/diffusion/fashion-unet
Inputs: x [N,1,28,28] float32, t [N] int64, y [N] int64 (10 = null class). Output: eps [N,1,28,28].
"""
import argparse
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CLASSES, NULL_CLASS, UNet  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "unet.pt"))
    p.add_argument("--out", default="models/diffusion/fashion-unet")
    a = p.parse_args()
    ck = torch.load(a.ckpt, map_location="cpu")
    m = UNet()
    m.load_state_dict(ck["ema"])
    m.eval()
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, "model.onnx")
    x = torch.randn(2, 1, 28, 28)
    t = torch.tensor([999, 10], dtype=torch.int64)
    y = torch.tensor([1, NULL_CLASS], dtype=torch.int64)
    torch.onnx.export(m, (x, t, y), onnx_path, input_names=["x", "t", "y"], output_names=["eps"],
                      dynamic_axes={"x": {0: "n"}, "t": {0: "n"}, "y": {0: "n"}, "eps": {0: "n"}}, opset_version=17)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    manifest = {
        "format": "pixelwire.diffusion",
        "name": "fashion-unet",
        "kind": "pixel",
        "file": "model.onnx",
        "imageSize": 28,
        "channels": 1,
        "inputs": {"x": "float32 [N,1,28,28]", "t": "int64 [N]", "y": "int64 [N]"},
        "output": "eps",
        "schedule": {"type": "linear", "betaStart": 1e-4, "betaEnd": 0.02, "T": ck["T"]},
        "prediction": "epsilon",
        "classes": CLASSES,
        "nullClass": NULL_CLASS,
        "guidanceDefault": 3,
        "licence": "MIT (Fashion-MNIST data, MIT); model weights: ours",
        "sha256": sha,
        "training": {"seconds": round(ck["seconds"]), "steps": ck["step"], "finalLoss": round(ck["loss"], 4),
                     "command": ck.get("command", ""), "weights": "EMA"},
    }
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) step {ck['step']} loss {ck['loss']:.4f}")


if __name__ == "__main__":
    main()
