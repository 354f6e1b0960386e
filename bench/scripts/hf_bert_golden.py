#!/usr/bin/env python3
"""Loads a curex masked-LM checkpoint into Hugging Face's BertForMaskedLM and writes the golden logits it computes.

Usage (a Python with torch and transformers: Debian packages no recent transformers, but a virtual environment takes
the wheels, e.g. python3 -m venv /tmp/hfvenv && /tmp/hfvenv/bin/pip install torch transformers):
  ./curex train --task pcfg --norm post --layers 2 --d-model 16 --heads 2 --steps 30 --out /tmp/hf-bert
  /tmp/hfvenv/bin/python bench/scripts/hf_bert_golden.py --model /tmp/hf-bert/model.safetensors

Does what a Hugging Face user would: a BertConfig from the BertConfig keys in the file's metadata, saved beside the
file as config.json in a scratch folder, then BertForMaskedLM.from_pretrained on that folder. Refuses to go on if the
load reports a missing, unexpected or mis-shaped tensor. Runs a fixed batch (sequences of several lengths, random
tokens, padded with pad_token_id; attention_mask 1 on real tokens) in float32 and writes
test-data/golden/hf-bert.safetensors: the checkpoint's tensors and metadata unchanged, input_ids and attention_mask
(N, T) int32, and hf.logits (N, T, V) float32, with the transformers and torch versions and the load report in the
metadata. HfBertGoldenTest loads the file with curex's checkpoint reader and checks its logits on the real tokens.
"""
import argparse
import json
import os
import shutil
import struct
import sys
import tempfile

import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertForMaskedLM

INTS = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
        "max_position_embeddings", "type_vocab_size", "pad_token_id")
FLOATS = ("layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob")


def metadata(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)).get("__metadata__", {})


def bert_config(meta):
    missing = [k for k in INTS + FLOATS + ("hidden_act", "tie_word_embeddings") if k not in meta]
    if missing:
        sys.exit(f"the checkpoint's metadata lacks the BertConfig keys {missing}")
    kwargs = {k: int(meta[k]) for k in INTS}
    kwargs.update({k: float(meta[k]) for k in FLOATS})
    kwargs.update(hidden_act=meta["hidden_act"], tie_word_embeddings=meta["tie_word_embeddings"] == "true")
    return BertConfig(**kwargs)


def batch(config, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    t = max(lengths)
    ids = torch.full((len(lengths), t), config.pad_token_id, dtype=torch.int64)
    mask = torch.zeros((len(lengths), t), dtype=torch.int64)
    real = [i for i in range(config.vocab_size) if i != config.pad_token_id]
    for row, n in enumerate(lengths):
        ids[row, :n] = torch.tensor(real)[torch.randint(len(real), (n,), generator=g)]
        mask[row, :n] = 1
    return ids, mask


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="a curex post-LN masked-LM checkpoint (model.safetensors)")
    p.add_argument("--out", default=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                                  "..", "test-data", "golden", "hf-bert.safetensors")))
    p.add_argument("--lengths", default="12,9,5,1,12,7", help="the batch's sequence lengths")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    meta = metadata(a.model)
    if meta.get("norm") != "post" or meta.get("head") != "mlm":
        sys.exit("BertForMaskedLM is a post-LN masked-LM model: train with --norm post on a masked-LM task")
    config = bert_config(meta)
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(a.model, os.path.join(folder, "model.safetensors"))
        config.save_pretrained(folder)
        model, info = BertForMaskedLM.from_pretrained(folder, output_loading_info=True)
    report = {k: sorted(str(x) for x in v) for k, v in info.items()}
    if any(report.values()):
        sys.exit(f"Hugging Face did not load the file cleanly: {report}")
    model.eval()
    ids, mask = batch(config, [int(n) for n in a.lengths.split(",")], a.seed)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits.float()   # (N, T, V)

    tensors = dict(load_file(a.model))
    tensors.update({"input_ids": ids.to(torch.int32), "attention_mask": mask.to(torch.int32),
                    "hf.logits": logits.contiguous()})
    out_meta = dict(meta)
    out_meta.update({"golden.transformers": transformers.__version__, "golden.torch": torch.__version__,
                     "golden.load_report": json.dumps(report, sort_keys=True)})
    save_file(tensors, a.out, metadata=out_meta)
    os.chmod(a.out, 0o644)
    print(f"wrote {a.out}: {tuple(logits.shape)} logits from transformers {transformers.__version__} "
          f"(torch {torch.__version__}); load report {report}")


if __name__ == "__main__":
    main()
