"""Trains the class-conditional Fashion-MNIST denoising UNet on CPU for a bounded time.

  /usr/bin/python3 tools/diffusion/train_unet.py --minutes 20 --out tools/diffusion/out
Writes <out>/unet.pt (EMA weights, config, step, loss) every --ckpt-minutes and at the end.
"""
import argparse
import copy
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NULL_CLASS, UNet, linear_betas, load_fashion  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--ckpt-minutes", type=float, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--label-dropout", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", help="a unet.pt to start from (its EMA weights; a fresh optimizer)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)

    images, labels = load_fashion("train")
    x_all = torch.from_numpy(images).float() / 127.5 - 1.0
    y_all = torch.from_numpy(labels)
    betas = linear_betas(a.T)
    abar = torch.cumprod(1 - betas, 0).float()

    model = UNet()
    resumed_step, resumed_seconds = 0, 0.0
    if a.resume:
        ck = torch.load(a.resume, map_location="cpu")
        model.load_state_dict(ck["ema"])
        resumed_step, resumed_seconds = ck["step"], ck["seconds"]
        print(f"resumed from {a.resume} at step {resumed_step}", flush=True)
    ema = copy.deepcopy(model).eval()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"params {n_params}", flush=True)

    ck_command = torch.load(a.resume, map_location="cpu").get("command", "") if a.resume else ""
    start = time.time()
    last_ckpt = start
    step = 0
    losses = []
    log = open(os.path.join(a.out, "train_log.txt"), "a")

    def save(final=False):
        recent = sum(losses[-200:]) / max(1, len(losses[-200:]))
        torch.save({"ema": ema.state_dict(), "step": resumed_step + step, "loss": recent,
                    "seconds": resumed_seconds + time.time() - start,
                    "T": a.T, "args": vars(a), "command": (ck_command + " && " if ck_command else "") + " ".join(sys.argv)}, os.path.join(a.out, "unet.pt"))
        with open(os.path.join(a.out, "status.json"), "w") as f:
            json.dump({"step": step, "loss_ema200": recent, "seconds": time.time() - start, "final": final}, f)

    while time.time() - start < a.minutes * 60:
        idx = torch.randint(0, x_all.shape[0], (a.batch,))
        x0, y = x_all[idx], y_all[idx].clone()
        if torch.rand(1).item() < 0.5:
            x0 = torch.flip(x0, dims=[3])  # horizontal flip: fashion items are (mostly) symmetric
        y[torch.rand(a.batch) < a.label_dropout] = NULL_CLASS
        t = torch.randint(0, a.T, (a.batch,))
        noise = torch.randn_like(x0)
        ab = abar[t][:, None, None, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = F.mse_loss(model(xt, t, y), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        decay = min(0.999, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        losses.append(loss.item())
        if step % 100 == 0:
            msg = f"step {step} loss {sum(losses[-100:]) / 100:.4f} t {time.time() - start:.0f}s"
            print(msg, flush=True)
            log.write(msg + "\n"); log.flush()
        if time.time() - last_ckpt > a.ckpt_minutes * 60:
            save(); last_ckpt = time.time()
    save(final=True)
    print(f"done: {step} steps in {time.time() - start:.0f}s, loss {sum(losses[-200:]) / 200:.4f}", flush=True)


if __name__ == "__main__":
    main()
