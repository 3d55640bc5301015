//! Pagination, waiters and the waiter that follows an operation.

use std::collections::BTreeMap;

use heck::ToSnakeCase;

use super::{File, Resolver, rust_field_name};
use crate::locate::escape;
use crate::model::{self, Structure, Type};
use crate::spec;

impl Resolver<'_> {
    /// Resolves a dot path (`page.total_count`) through the members of `root`, then through
    /// the named structures they refer to. Returns the Rust field chain and the last member's
    /// spec type name, or a message.
    pub(super) fn member_path(
        &self,
        root: &Structure,
        path: &str,
    ) -> Result<(Vec<String>, String), String> {
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or_default();
        let member = root
            .members
            .iter()
            .find(|m| m.name == first)
            .ok_or_else(|| format!("`{}` has no member `{first}`", root.name))?;
        let mut chain = vec![member.rust_name.clone()];
        let mut ty = match &member.ty {
            Type::Structure(n) | Type::Enum(n) => n.clone(),
            Type::List(_) => "list".to_owned(),
            Type::Map(_) => "map".to_owned(),
            other => format!("{other:?}").to_lowercase(),
        };
        for segment in segments {
            let members = self
                .shapes
                .get(&ty)
                .and_then(|s| s.def.members.as_ref())
                .ok_or_else(|| {
                    format!("`{ty}` is not a structure, so `{segment}` cannot be read from it")
                })?;
            let (key, def) = members
                .0
                .iter()
                .find(|(k, _)| k == segment)
                .ok_or_else(|| format!("`{ty}` has no member `{segment}`"))?;
            chain.push(rust_field_name(key));
            ty = def.ty.clone();
        }
        Ok((chain, ty))
    }

    pub(super) fn resolve_pagination(
        &mut self,
        def: &spec::PaginationDef,
        input: &Structure,
        output: &Structure,
        file: File<'_>,
    ) -> Option<model::Pagination> {
        let mut ok = true;
        let mut input_int = |this: &mut Self, key: &str, name: &str| -> Option<String> {
            match input.members.iter().find(|m| m.name == name) {
                Some(m) if m.ty.is_integer() => Some(m.rust_name.clone()),
                Some(_) => {
                    ok = false;
                    this.errors.push(file.error(
                        &format!("/pagination/{key}"),
                        format!("`{name}` must be an integer or long request member"),
                    ));
                    None
                }
                None => {
                    ok = false;
                    this.errors.push(file.error(
                        &format!("/pagination/{key}"),
                        format!("the request has no member `{name}`"),
                    ));
                    None
                }
            }
        };
        let page_number = input_int(self, "page_number", &def.page_number);
        let page_size = def
            .page_size
            .as_ref()
            .and_then(|name| input_int(self, "page_size", name));
        let items = output.members.iter().find(|m| m.name == def.items);
        let (items, item) = match items.map(|m| (&m.rust_name, &m.ty)) {
            Some((name, Type::List(item))) => (name.clone(), item.ty.clone()),
            _ => {
                self.errors.push(file.error(
                    "/pagination/items",
                    format!("the answer has no list member `{}`", def.items),
                ));
                return None;
            }
        };
        let total_count = match &def.total_count {
            None => None,
            Some(path) => match self.member_path(output, path) {
                Ok((chain, ty)) if ty == "integer" || ty == "long" => Some(chain),
                Ok(_) => {
                    self.errors.push(file.error(
                        "/pagination/total_count",
                        "the total count must be an integer or long member",
                    ));
                    return None;
                }
                Err(message) => {
                    self.errors
                        .push(file.error("/pagination/total_count", message));
                    return None;
                }
            },
        };
        Some(model::Pagination {
            page_number: page_number.filter(|_| ok)?,
            page_size,
            items,
            item,
            total_count,
        })
    }

    pub(super) fn resolve_waiter(
        &mut self,
        name: &str,
        def: &spec::WaiterDef,
        output: &Structure,
        file: File<'_>,
    ) -> Option<model::Waiter> {
        let at = format!("/waiters/{}", escape(name));
        if name.is_empty() || name.to_snake_case() != name {
            self.errors
                .push(file.error(&at, format!("waiter name `{name}` must be snake_case")));
            return None;
        }
        let path = |this: &mut Self, key: &str, path: &str| -> Option<(Vec<String>, String)> {
            this.member_path(output, path)
                .map_err(|message| {
                    this.errors
                        .push(file.error(&format!("{at}/{key}"), message))
                })
                .ok()
        };
        let (state, state_ty) = path(self, "state", &def.state)?;
        if state_ty != "string"
            && self
                .shapes
                .get(&state_ty)
                .is_none_or(|s| s.def.kind != spec::ShapeKind::Enum)
        {
            self.errors.push(file.error(
                &format!("{at}/state"),
                "the state must be a string or enum member",
            ));
        }
        if def.success.is_empty() || def.failure.is_empty() {
            self.errors.push(file.error(
                &at,
                "a waiter needs at least one `success` and one `failure` value",
            ));
        }
        if let Some(both) = def.success.iter().find(|v| def.failure.contains(v)) {
            self.errors.push(file.error(
                &at,
                format!("impossible waiter: {both:?} is both success and failure"),
            ));
        }
        let failure_detail = match &def.failure_detail {
            Some(p) => Some(path(self, "failure_detail", p)?.0),
            None => None,
        };
        let progress = match &def.progress {
            Some(p) => Some(path(self, "progress", p)?.0),
            None => None,
        };
        Some(model::Waiter {
            name: name.to_owned(),
            documentation: def.documentation.clone(),
            state,
            success: def.success.clone(),
            failure: def.failure.clone(),
            failure_detail,
            progress,
        })
    }

    pub(super) fn resolve_follow(
        &mut self,
        def: &spec::FollowDef,
        output: &Structure,
        ops: &BTreeMap<String, &spec::OperationFile>,
        file: File<'_>,
    ) -> Option<model::Follow> {
        let Some((operation, waiter)) = def.waiter.split_once('.') else {
            self.errors.push(file.error(
                "/follow_with/waiter",
                "expected `<Operation>.<waiter>`, such as `DescribeTaskInfo.task_done`",
            ));
            return None;
        };
        let Some(target) = ops.get(operation) else {
            self.errors.push(file.error(
                "/follow_with/waiter",
                format!("no operation named `{operation}` in this service"),
            ));
            return None;
        };
        if !target.waiters.0.iter().any(|(name, _)| name == waiter) {
            self.errors.push(file.error(
                "/follow_with/waiter",
                format!("`{operation}` declares no waiter `{waiter}`"),
            ));
            return None;
        }
        let mut inputs = Vec::new();
        for (param, source) in &def.inputs.0 {
            let Some((_, param_def)) = target.input.members.0.iter().find(|(k, _)| k == param)
            else {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    format!("`{operation}` has no request member `{param}`"),
                ));
                continue;
            };
            let Some(answer) = output.members.iter().find(|m| m.name == *source) else {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    format!("the answer has no member `{source}`"),
                ));
                continue;
            };
            if param_def.ty != "string" || answer.ty != Type::String {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    "waiter inputs pass string members",
                ));
                continue;
            }
            inputs.push((rust_field_name(param), answer.rust_name.clone()));
        }
        let required: Vec<&String> = target
            .input
            .members
            .0
            .iter()
            .filter(|(_, m)| m.required)
            .map(|(k, _)| k)
            .collect();
        for key in required {
            if !def.inputs.0.iter().any(|(param, _)| param == key) {
                self.errors.push(file.error(
                    "/follow_with/inputs",
                    format!("the waiter's request needs `{key}`; map it from an answer member"),
                ));
            }
        }
        Some(model::Follow {
            operation: operation.to_owned(),
            waiter: waiter.to_owned(),
            inputs,
        })
    }
}
