//! Gated Features (Explainer.md "Gated Features"): one flag per emoji.
//!
//! Each flag is named after wasmtime's `-W` option for the same feature, so
//! that a command line can be carried over. All are on by default: witness
//! is a reference implementation and the reference tests use all of them.

/// The emoji-gated features of the pinned spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Features {
    /// 🔀 `component-model-async`: `async`, `stream`, `future`, the
    /// concurrency built-ins.
    pub component_model_async: bool,
    /// 🚝 `component-model-more-async-builtins`: more canonical options on
    /// async-related built-ins.
    pub component_model_more_async_builtins: bool,
    /// 🚟 `component-model-async-stackful`: `async` lift without `callback`.
    pub component_model_async_stackful: bool,
    /// 🧵 `component-model-threading`: the threading built-ins.
    pub component_model_threading: bool,
    /// 🧵② `component-model-shared-everything-threads`: `thread.spawn-ref`,
    /// `thread.spawn-indirect`, `thread.available-parallelism`.
    pub component_model_shared_everything_threads: bool,
    /// 🔧 `component-model-fixed-length-lists`.
    pub component_model_fixed_length_lists: bool,
    /// 📝 `component-model-error-context`: the `error-context` type and its
    /// built-ins.
    pub component_model_error_context: bool,
    /// 🗺️ `component-model-map`: the `map` type.
    pub component_model_map: bool,
    /// 🏷️ `component-model-implements`: `implements` and `external-id`.
    pub component_model_implements: bool,
    /// 🔗 `component-model-canon-names`: canonical interface names and
    /// `versionsuffix`.
    pub component_model_canon_names: bool,
    /// 🪙 `component-model-values`: value imports/exports and `start`.
    pub component_model_values: bool,
    /// 🪺 `component-model-nested-names`: nested namespaces and packages.
    pub component_model_nested_names: bool,
    /// 🐘 `component-model-memory64`: 64-bit memories and tables in
    /// canonical options and resource representations.
    pub component_model_memory64: bool,
}

impl Features {
    /// Every gate on (the default, and what the reference tests expect).
    pub const ALL: Features = Features {
        component_model_async: true,
        component_model_more_async_builtins: true,
        component_model_async_stackful: true,
        component_model_threading: true,
        component_model_shared_everything_threads: true,
        component_model_fixed_length_lists: true,
        component_model_error_context: true,
        component_model_map: true,
        component_model_implements: true,
        component_model_canon_names: true,
        component_model_values: true,
        component_model_nested_names: true,
        component_model_memory64: true,
    };

    /// The gates the reference tests (`../shared/suites/component-model`)
    /// are written for: the `-W` flags of their README and PROVENANCE
    /// (async, more-async-builtins, threading, async-stackful, implements,
    /// fixed-length-lists, map, error-context). Values 🪙, nested names 🪺,
    /// canonical interface names 🔗, 🧵② and 🐘 stay off: the tests expect
    /// those productions to be rejected.
    pub const REFERENCE_TESTS: Features = Features {
        component_model_async: true,
        component_model_more_async_builtins: true,
        component_model_async_stackful: true,
        component_model_threading: true,
        component_model_shared_everything_threads: false,
        component_model_fixed_length_lists: true,
        component_model_error_context: true,
        component_model_map: true,
        component_model_implements: true,
        component_model_canon_names: false,
        component_model_values: false,
        component_model_nested_names: false,
        component_model_memory64: false,
    };

    /// Only the 0.2 feature set (no emoji-gated feature).
    pub const NONE: Features = Features {
        component_model_async: false,
        component_model_more_async_builtins: false,
        component_model_async_stackful: false,
        component_model_threading: false,
        component_model_shared_everything_threads: false,
        component_model_fixed_length_lists: false,
        component_model_error_context: false,
        component_model_map: false,
        component_model_implements: false,
        component_model_canon_names: false,
        component_model_values: false,
        component_model_nested_names: false,
        component_model_memory64: false,
    };

    /// The flags with their `-W` names, in the Explainer's order.
    pub fn flags_mut(&mut self) -> [(&'static str, &mut bool); 13] {
        [
            ("component-model-async", &mut self.component_model_async),
            ("component-model-map", &mut self.component_model_map),
            (
                "component-model-implements",
                &mut self.component_model_implements,
            ),
            ("component-model-values", &mut self.component_model_values),
            (
                "component-model-nested-names",
                &mut self.component_model_nested_names,
            ),
            (
                "component-model-more-async-builtins",
                &mut self.component_model_more_async_builtins,
            ),
            (
                "component-model-async-stackful",
                &mut self.component_model_async_stackful,
            ),
            (
                "component-model-threading",
                &mut self.component_model_threading,
            ),
            (
                "component-model-shared-everything-threads",
                &mut self.component_model_shared_everything_threads,
            ),
            (
                "component-model-fixed-length-lists",
                &mut self.component_model_fixed_length_lists,
            ),
            (
                "component-model-error-context",
                &mut self.component_model_error_context,
            ),
            (
                "component-model-canon-names",
                &mut self.component_model_canon_names,
            ),
            (
                "component-model-memory64",
                &mut self.component_model_memory64,
            ),
        ]
    }

    /// Sets the flag with the given `-W` name; `false` if there is none.
    pub fn set(&mut self, name: &str, on: bool) -> bool {
        for (n, flag) in self.flags_mut() {
            if n == name {
                *flag = on;
                return true;
            }
        }
        false
    }

    /// wasmparser's feature set for decoding (and for the core validator of
    /// modules nested in components): everything wasmparser knows, with our
    /// gates mapped onto its `cm_*` flags. 🧵② has no `cm_*` flag of its
    /// own: wasmparser gates its built-ins with the core
    /// shared-everything-threads proposal, so that proposal (shared globals,
    /// tables and types) is on exactly when 🧵② is.
    pub fn wasmparser(&self) -> wasmparser::WasmFeatures {
        use wasmparser::WasmFeatures as W;
        let mut w = W::all();
        w.set(W::CM_ASYNC, self.component_model_async);
        w.set(
            W::CM_MORE_ASYNC_BUILTINS,
            self.component_model_more_async_builtins,
        );
        w.set(W::CM_ASYNC_STACKFUL, self.component_model_async_stackful);
        w.set(W::CM_THREADING, self.component_model_threading);
        w.set(
            W::SHARED_EVERYTHING_THREADS,
            self.component_model_shared_everything_threads,
        );
        w.set(
            W::CM_FIXED_LENGTH_LISTS,
            self.component_model_fixed_length_lists,
        );
        w.set(W::CM_ERROR_CONTEXT, self.component_model_error_context);
        w.set(W::CM_MAP, self.component_model_map);
        w.set(W::CM_IMPLEMENTS, self.component_model_implements);
        w.set(W::CM_CANON_NAMES, self.component_model_canon_names);
        w.set(W::CM_VALUES, self.component_model_values);
        w.set(W::CM_NESTED_NAMES, self.component_model_nested_names);
        w.set(W::CM64, self.component_model_memory64);
        w
    }
}

impl Default for Features {
    fn default() -> Self {
        Features::ALL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_by_w_name() {
        let mut f = Features::NONE;
        assert!(f.set("component-model-map", true));
        assert!(f.component_model_map);
        assert!(!f.set("no-such-feature", true));
    }
}
