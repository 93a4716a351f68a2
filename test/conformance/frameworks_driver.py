"""Runs emitted Anneal schedules under real Keras (JAX backend), optax and Lightning.

The conformance tests write every emitted module to a temporary directory, describe the
cases in a JSON file, and call this script once per group, since each start-up costs
seconds:

    python frameworks_driver.py jax CASES.json        (Keras, then optax; KERAS_BACKEND=jax)
    python frameworks_driver.py lightning CASES.json

It prints one JSON object: for each framework either `{"missing": reason}` (it could not be
imported; the caller decides whether that is fatal) or its version and one result per case.
Every value reported comes from the framework: Keras's optimizer and its saved model,
optax's update and its injected hyperparameters, Lightning's optimizer during a real fit.
An error inside a case is a real failure and exits non-zero with the traceback.
"""

import importlib.util
import json
import os
import sys
import tempfile
import warnings


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def settings(case):
    """The keyword arguments of `build_schedule` / `make_schedule` for a case."""
    out = {}
    if case["relative"]:
        out["base_lr"] = case["base_lr"]
    if case["clock"] == "epochs":
        out["steps_per_epoch"] = case["steps_per_epoch"]
    return out


# Counts given as floats: a NaN, a negative count (read as 0) and two whole ones.
FLOAT_COUNTS = [float("nan"), -2.0, 0.0, 1.0]


def guarded(values):
    """The rates at FLOAT_COUNTS as JSON can hold them: whether the first is NaN, then the others."""
    import math

    v = floats(values)
    return {"nan": math.isnan(v[0]), "rest": v[1:]}


def floats(values):
    """A list of Python floats; one copy off the device (indexing an array element by element is an op each)."""
    import numpy as np

    return np.asarray(values, dtype="float64").ravel().tolist()


def run_keras(cases, workdir):
    import jax
    import keras
    import numpy as np

    built = []
    for n, case in enumerate(cases):
        module = load_module(case["keras"], "anneal_keras_%d" % n)
        schedule = module.build_schedule(**settings(case))
        # serialize / deserialize through JSON text, as a config file would hold it.
        config = json.loads(json.dumps(keras.optimizers.schedules.serialize(schedule)))
        back = keras.optimizers.schedules.deserialize(config)
        # A compiled model saved to .keras and loaded back keeps its schedule.
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss="mse")
        path = os.path.join(workdir, "model_%d.keras" % n)
        model.save(path)
        restored = keras.saving.load_model(path).optimizer._learning_rate
        built.append((schedule, back, restored))
    points = [np.asarray(case["points"], dtype="float32") for case in cases]
    # Under jax.jit the schedules are traced: keras.ops in a compiled graph. Every case
    # goes into one graph, since compiling costs far more than computing.
    traced = jax.jit(lambda ps: [tuple(f(p) for f in fs) for fs, p in zip(built, ps)])(points)
    # Each hyperparameter chain's closed form on the schedule, jitted the same way.
    params = jax.jit(lambda ps: [{n: getattr(fs[0], n + "_at")(p) for n in case["params"]} for fs, p, case in zip(built, ps, cases)])(points)
    results = {}
    for case, (schedule, back, restored), values, p, ps in zip(cases, built, traced, points, params):
        ours, deserialized, reloaded = values
        results[case["id"]] = {
            "jit": floats(ours),
            # Eagerly, op by op, at the first few counts.
            "eager": floats(schedule(p[:8])),
            # The optimizer's count is an integer; a float count keeps the NaN guard.
            "eager_int": floats(schedule(np.asarray(case["points"][:8], dtype="int64"))),
            "float_counts": guarded(schedule(np.asarray(FLOAT_COUNTS, dtype="float32"))),
            "class": type(schedule).__name__,
            "config": schedule.get_config(),
            "deserialized_class": type(back).__name__,
            "deserialized_config": back.get_config(),
            "deserialized": floats(deserialized),
            "loaded_class": type(restored).__name__,
            "loaded_config": restored.get_config(),
            "loaded": floats(reloaded),
            "params": {n: floats(v) for n, v in ps.items()},
        }
    return {"version": keras.__version__, "backend": keras.backend.backend(), "results": results}


def run_optax(cases, x64):
    import jax
    import jax.numpy as jnp
    import optax

    schedules = []
    param_schedules = []
    for n, case in enumerate(cases):
        module = load_module(case["optax"], "anneal_optax_%d_%d" % (n, x64))
        schedules.append(module.make_schedule(**settings(case)))
        # Each hyperparameter chain's schedule takes the settings but not the base rate.
        extra = {k: v for k, v in settings(case).items() if k != "base_lr"}
        param_schedules.append({p: getattr(module, "make_%s_schedule" % p)(**extra) for p in case["params"]})
        if not case["relative"] and case["clock"] == "steps":
            assert callable(module.schedule), "the module binds `schedule` when nothing is to be given"
    counts = [jnp.asarray(case["points"]) for case in cases]
    # Float counts take the NaN guard, which integer counts leave out while tracing.
    float_counts = jnp.asarray(FLOAT_COUNTS, dtype=jnp.result_type(float))

    def updates_of(schedule, updates):
        # A real update: SGD on a parameter whose gradient is 1 moves it by -rate. The
        # updates run in a scan, so the graph holds one update whatever their number.
        params = jnp.zeros(1)
        sgd = optax.sgd(learning_rate=schedule)

        def sgd_step(state, _):
            delta, state = sgd.update(jnp.ones(1), state)
            return state, -delta[0]

        _, applied = jax.lax.scan(sgd_step, sgd.init(params), None, length=updates)
        # inject_hyperparams evaluates the schedule at the update count and records it.
        injected = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule)

        def injected_step(state, _):
            _, state = injected.update(jnp.ones(1), state, params)
            return state, state.hyperparams["learning_rate"]

        _, recorded = jax.lax.scan(injected_step, injected.init(params), None, length=updates)
        return applied, recorded

    def injected_params(schedule, params, updates):
        # The hyperparameter schedules in a real AdamW, as inject_hyperparams records them.
        names = {"momentum": "b1", "beta2": "b2", "weight_decay": "weight_decay"}
        opt = optax.inject_hyperparams(optax.adamw)(learning_rate=schedule, **{names[p]: f for p, f in params.items()})
        w = jnp.zeros(1)

        def step(state, _):
            _, state = opt.update(jnp.ones(1), state, w)
            return state, {p: state.hyperparams[names[p]] for p in params}

        return jax.lax.scan(step, opt.init(w), None, length=updates)[1]

    def run(counts):
        out = []
        for schedule, params, c, case in zip(schedules, param_schedules, counts, cases):
            values = {p: f(c) for p, f in params.items()}
            applied = () if x64 else updates_of(schedule, case["updates"]) + (injected_params(schedule, params, case["updates"]),)
            out.append((schedule(c), schedule(float_counts), values) + applied)
        return out

    # One compiled graph for every case, as for Keras.
    results = {}
    for case, values in zip(cases, jax.jit(run)(counts)):
        out = {"jit": floats(values[0]), "dtype": str(values[0].dtype), "float_counts": guarded(values[1]), "params": {p: floats(v) for p, v in values[2].items()}}
        if not x64:
            out["applied"] = floats(values[3])
            out["injected"] = floats(values[4])
            out["injected_params"] = {p: floats(v) for p, v in values[5].items()}
        results[case["id"]] = out
    return {"version": optax.__version__, "results": results}


def run_lightning(cases):
    import lightning
    import torch

    torch.set_num_threads(1)
    results = {}
    for n, case in enumerate(cases):
        module = load_module(case["pytorch"], "anneal_lightning_%d" % n)
        epochs_clock = case["clock"] == "epochs"
        batches = case["lightning_batches_per_epoch"]
        epochs = case["lightning_epochs"]

        class Tiny(lightning.LightningModule):
            def __init__(self):
                super().__init__()
                self.layer = torch.nn.Linear(2, 1)
                self.rates = []
                self.config = None

            def training_step(self, batch, _index):
                x, y = batch
                return torch.nn.functional.mse_loss(self.layer(x), y)

            def on_train_batch_start(self, _batch, _index):
                self.rates.append(self.trainer.optimizers[0].param_groups[0]["lr"])

            def configure_optimizers(self):
                # A schedule that sets betas or weight decay needs an optimizer that has them.
                if case["optimizer"] == "adamw":
                    optimizer = torch.optim.AdamW(self.parameters(), lr=case["base_lr"])
                else:
                    optimizer = torch.optim.SGD(self.parameters(), lr=case["base_lr"], momentum=0.9)
                self.config = module.lightning_scheduler_config(optimizer)
                return {"optimizer": optimizer, "lr_scheduler": self.config}

        data = torch.utils.data.TensorDataset(torch.randn(batches * 2, 2), torch.randn(batches * 2, 1))
        loader = torch.utils.data.DataLoader(data, batch_size=2)
        model = Tiny()
        trainer = lightning.Trainer(
            accelerator="cpu",
            devices=1,
            max_epochs=epochs,
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            num_sanity_val_steps=0,
        )
        trainer.fit(model, loader)
        results[case["id"]] = {
            "rates": model.rates,
            "interval": model.config["interval"],
            "frequency": model.config["frequency"],
            "epochs_clock": epochs_clock,
        }
    return {"version": lightning.__version__, "results": results}


def attempt(name, imports, run):
    """`run()`, or `{"missing": ...}` when the framework cannot be imported at all."""
    try:
        for module in imports:
            __import__(module)
    except Exception as exc:  # missing or broken: the caller decides whether that is fatal
        return {"missing": "cannot import %s: %s" % (name, exc)}
    return run()


def main():
    group, cases_path = sys.argv[1], sys.argv[2]
    with open(cases_path) as f:
        cases = json.load(f)["cases"]
    warnings.filterwarnings("ignore")
    out = {}
    if group == "jax":
        # These tests are of Keras on JAX, whatever the environment says.
        os.environ["KERAS_BACKEND"] = "jax"
        with tempfile.TemporaryDirectory() as workdir:
            out["keras"] = attempt("keras (JAX backend)", ["jax", "keras"], lambda: run_keras(cases, workdir))
        out["optax"] = attempt("optax", ["jax", "optax"], lambda: run_optax(cases, False))
        if "missing" not in out["optax"]:
            # x64 last: it changes JAX's default float for everything computed after it.
            import jax

            jax.config.update("jax_enable_x64", True)
            out["optax_x64"] = run_optax(cases, True)
    elif group == "lightning":
        import logging

        logging.getLogger("lightning").setLevel(logging.ERROR)
        logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
        out["lightning"] = attempt("lightning", ["torch", "lightning"], lambda: run_lightning(cases))
    else:
        raise SystemExit("unknown group %r" % group)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
