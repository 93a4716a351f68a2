// Scheduler state across kinds and specs, on real torch. A state_dict carries what made it:
// loading closed-form state into a `--native` scheduler (or the reverse) is a ValueError
// naming the kind that saved it, where it was a bare `KeyError('_schedulers')`; loading
// state saved from an edited spec warns naming both specs and continues on the new spec's
// curve, where `--native` kept the old milestones. The expected rates are the new spec run
// uninterrupted on torch.

import { describe, expect, test } from "vitest";
import { compile } from "@anneal/compiler";
import { emit } from "../../packages/compiler/src/emit/index.js";
import { missingBanner, runPython, torchRequired } from "./python.js";

/** Spec A and its edit B: the same total, other phases and milestones. */
const A = "lr 0.1\ntotal 60\nwarmup 10 from 1% -> step by 0.5 every 15\n";
const B = "lr 0.1\ntotal 60\nwarmup 20 from 1% -> cosine to 1e-3\n";
const RESUME_AT = 30;
const STEPS = 50;

function module(text: string, target: "pytorch" | "pytorch-native", source: string): string {
  const ir = compile(text).schedules[0]!.ir!;
  const r = emit(target, ir, { source, text });
  expect(r.diagnostics).toEqual([]);
  return r.text;
}

const DRIVER = String.raw`
import importlib.util, json, os, sys, tempfile, warnings, io
import torch

mods = json.load(sys.stdin)
tmp = tempfile.mkdtemp()
def load(name):
    path = os.path.join(tmp, name + ".py")
    with open(path, "w") as f:
        f.write(mods[name])
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m

def fresh(m):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    return opt, m.build_scheduler(opt)

def step(opt, sched):
    opt.step()
    sched.step()

def saved(m, at):
    opt, sched = fresh(m)
    for _ in range(at):
        step(opt, sched)
    buf = io.BytesIO()
    torch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, buf)
    buf.seek(0)
    return torch.load(buf)

def resumed(m, state, at, steps):
    opt, sched = fresh(m)
    opt.load_state_dict(state["optimizer"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched.load_state_dict(state["scheduler"])
    rates = []
    for _ in range(at, steps):
        rates.append(opt.param_groups[0]["lr"])
        step(opt, sched)
    return rates, [str(w.message) for w in caught if "state_dict was saved" in str(w.message)]

def uninterrupted(m, steps):
    opt, sched = fresh(m)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])
        step(opt, sched)
    return rates

def load_error(m, state):
    opt, sched = fresh(m)
    try:
        sched.load_state_dict(state)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return None

out = {}
a, a_native, b, b_native = load("a"), load("a_native"), load("b"), load("b_native")
closed_state = saved(a, ${RESUME_AT})["scheduler"]
native_state = saved(a_native, ${RESUME_AT})["scheduler"]
unstamped = {k: v for k, v in closed_state.items() if k != "_anneal"}
out["closed_into_native"] = load_error(a_native, closed_state)
out["unstamped_closed_into_native"] = load_error(a_native, unstamped)
out["native_into_closed"] = load_error(a, native_state)
for kind, (old, new) in {"native": (a_native, b_native), "closed": (a, b)}.items():
    rates, warned = resumed(new, saved(old, ${RESUME_AT}), ${RESUME_AT}, ${STEPS})
    out[kind + "_edited"] = {"rates": rates, "warned": warned, "want": uninterrupted(new, ${STEPS})[${RESUME_AT}:]}
    same, quiet = resumed(old, saved(old, ${RESUME_AT}), ${RESUME_AT}, ${STEPS})
    out[kind + "_same"] = {"rates": same, "warned": quiet, "want": uninterrupted(old, ${STEPS})[${RESUME_AT}:]}
print(json.dumps(out))
`;

describe("state_dict across kinds of scheduler and edited specs", async () => {
  const mods = {
    a: module(A, "pytorch", "a.anneal"),
    a_native: module(A, "pytorch-native", "a.anneal"),
    b: module(B, "pytorch", "b.anneal"),
    b_native: module(B, "pytorch-native", "b.anneal"),
  };
  const r = await runPython(["-c", DRIVER], JSON.stringify(mods));
  const missing = r.spawnError ?? (r.code !== 0 && /No module named 'torch'/.test(r.stderr) ? "no torch" : undefined);
  if (missing !== undefined) console.warn(missingBanner("PyTorch", missing));
  const out = missing === undefined && r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined;
  const get = (ctx: { skip: () => void }, key: string) => {
    if (missing !== undefined) {
      if (torchRequired) throw new Error(`PyTorch is required (ANNEAL_REQUIRE_TORCH=1) but unavailable: ${missing}`);
      ctx.skip();
    }
    expect(r.code, r.stderr).toBe(0);
    return out![key] as never;
  };

  test("closed-form state into a --native scheduler: a ValueError naming the closed form", (ctx) => {
    expect(get(ctx, "closed_into_native")).toMatch(/^ValueError: this state_dict was saved by the closed-form scheduler of `anneal emit pytorch`, and this scheduler is torch's built-in schedulers composed by `anneal emit pytorch --native`/);
    // State saved before the stamp existed is told apart by its shape: no `_schedulers`.
    expect(get(ctx, "unstamped_closed_into_native")).toMatch(/^ValueError: this state_dict was saved by the closed-form scheduler/);
  });

  test("--native state into a closed-form scheduler: a ValueError naming --native", (ctx) => {
    expect(get(ctx, "native_into_closed")).toMatch(/^ValueError: this state_dict was saved by torch's built-in schedulers composed by `anneal emit pytorch --native`, and this scheduler is the closed-form/);
  });

  for (const kind of ["native", "closed"] as const)
    test(`${kind}: state from an edited spec warns naming both and continues on the new spec's curve`, (ctx) => {
      const edited = get(ctx, `${kind}_edited`) as { rates: number[]; warned: string[]; want: number[] };
      expect(edited.warned).toHaveLength(1);
      expect(edited.warned[0]).toMatch(/saved by schedule 'default' of a\.anneal \(fingerprint [0-9a-f]{16}\), and this scheduler follows schedule 'default' of b\.anneal \(fingerprint [0-9a-f]{16}\)/);
      expect(edited.rates).toEqual(edited.want);
      const same = get(ctx, `${kind}_same`) as { rates: number[]; warned: string[]; want: number[] };
      expect(same.warned).toEqual([]);
      expect(same.rates).toEqual(same.want);
    });
});
