"""A small CNN in numpy (NHWC, float32): conv5x5-relu-pool2 -> conv5x5-relu-pool2 -> fc-relu -> fc.

Weight layouts match the Swift inference code (Sources/HattamaOCR/DigitClassifier/DigitNetwork.swift):
  conv weight: (ky, kx, in_channels, out_channels) flattened row-major; bias (out_channels,)
  fc weight:   (in_features, out_features) row-major; the flattened input of fc1 is (y, x, channel).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def im2col(x: np.ndarray, k: int) -> np.ndarray:
    n, h, w, c = x.shape
    v = sliding_window_view(x, (k, k), axis=(1, 2))  # n, oh, ow, c, k, k
    v = v.transpose(0, 1, 2, 4, 5, 3)  # n, oh, ow, ky, kx, c
    return v.reshape(n * (h - k + 1) * (w - k + 1), k * k * c)


class CNN:
    def __init__(self, rng: np.random.Generator, c1=16, c2=32, hidden=128, classes=14, k=5):
        self.k = k
        self.shapes = dict(c1=c1, c2=c2, hidden=hidden, classes=classes)

        def he(fan_in, shape):
            return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

        f2 = ((28 - k + 1) // 2 - k + 1) // 2
        self.flat = f2 * f2 * c2
        self.p = {
            "conv1.w": he(k * k, (k * k * 1, c1)), "conv1.b": np.zeros(c1, np.float32),
            "conv2.w": he(k * k * c1, (k * k * c1, c2)), "conv2.b": np.zeros(c2, np.float32),
            "fc1.w": he(self.flat, (self.flat, hidden)), "fc1.b": np.zeros(hidden, np.float32),
            "fc2.w": he(hidden, (hidden, classes)) * 0.5, "fc2.b": np.zeros(classes, np.float32),
        }

    # --- forward -------------------------------------------------------------------------
    def forward(self, x: np.ndarray, keep=False, drop_rng=None, drop=0.0):
        """x: (n, 28, 28) float32 -> logits (n, classes)."""
        k = self.k
        n = x.shape[0]
        p = self.p
        x = x[..., None]
        c1 = im2col(x, k)
        h1 = 28 - k + 1
        a1 = (c1 @ p["conv1.w"] + p["conv1.b"]).reshape(n, h1, h1, -1)
        r1 = np.maximum(a1, 0)
        q1 = h1 // 2
        r1v = r1.reshape(n, q1, 2, q1, 2, -1)
        m1 = r1v.max(axis=(2, 4))
        c2 = im2col(m1, k)
        h2 = q1 - k + 1
        a2 = (c2 @ p["conv2.w"] + p["conv2.b"]).reshape(n, h2, h2, -1)
        r2 = np.maximum(a2, 0)
        q2 = h2 // 2
        r2v = r2.reshape(n, q2, 2, q2, 2, -1)
        m2 = r2v.max(axis=(2, 4))
        f = m2.reshape(n, -1)
        z1 = f @ p["fc1.w"] + p["fc1.b"]
        h = np.maximum(z1, 0)
        dmask = None
        if drop > 0 and drop_rng is not None:
            dmask = (drop_rng.random(h.shape) >= drop).astype(np.float32) / (1 - drop)
            h = h * dmask
        logits = h @ p["fc2.w"] + p["fc2.b"]
        if keep:
            self.cache = (x, c1, a1, r1v, m1, c2, a2, r2v, m2, f, z1, h, dmask)
        return logits

    # --- backward ------------------------------------------------------------------------
    def backward(self, dlogits: np.ndarray) -> dict:
        x, c1, a1, r1v, m1, c2, a2, r2v, m2, f, z1, h, dmask = self.cache
        p = self.p
        k = self.k
        n = x.shape[0]
        g = {}
        g["fc2.w"] = h.T @ dlogits
        g["fc2.b"] = dlogits.sum(0)
        dh = dlogits @ p["fc2.w"].T
        if dmask is not None:
            dh = dh * dmask
        dz1 = dh * (z1 > 0)
        g["fc1.w"] = f.T @ dz1
        g["fc1.b"] = dz1.sum(0)
        df = dz1 @ p["fc1.w"].T
        dm2 = df.reshape(m2.shape)
        # max-pool backward (ties share the gradient; rare with float inputs)
        mask2 = (r2v == m2[:, :, None, :, None, :])
        dr2 = (mask2 * dm2[:, :, None, :, None, :]).reshape(a2.shape)
        da2 = dr2 * (a2 > 0)
        da2f = da2.reshape(-1, da2.shape[-1])
        g["conv2.w"] = c2.T @ da2f
        g["conv2.b"] = da2f.sum(0)
        dc2 = (da2f @ p["conv2.w"].T).reshape(n, a2.shape[1], a2.shape[2], k, k, m1.shape[-1])
        dm1 = np.zeros_like(m1)
        oh = a2.shape[1]
        for ky in range(k):
            for kx in range(k):
                dm1[:, ky:ky + oh, kx:kx + oh, :] += dc2[:, :, :, ky, kx, :]
        mask1 = (r1v == m1[:, :, None, :, None, :])
        dr1 = (mask1 * dm1[:, :, None, :, None, :]).reshape(a1.shape)
        da1 = dr1 * (a1 > 0)
        da1f = da1.reshape(-1, da1.shape[-1])
        g["conv1.w"] = c1.T @ da1f
        g["conv1.b"] = da1f.sum(0)
        return g


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class Adam:
    def __init__(self, params: dict, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, wd=1e-5):
        self.lr, self.b1, self.b2, self.eps, self.wd = lr, b1, b2, eps, wd
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params: dict, grads: dict) -> None:
        self.t += 1
        for k in params:
            gk = grads[k]
            if k.endswith(".w"):
                gk = gk + self.wd * params[k]
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * gk
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * gk * gk
            mh = self.m[k] / (1 - self.b1 ** self.t)
            vh = self.v[k] / (1 - self.b2 ** self.t)
            params[k] -= (self.lr * mh / (np.sqrt(vh) + self.eps)).astype(np.float32)
