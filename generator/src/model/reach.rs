//! Which types requests send and which answers bring: those a request body or a parameter
//! reaches, and those a success or error body reaches, through fields, union variants, aliases,
//! lists and maps. Callers build the types requests send, so those get setters for their
//! optional fields; a nullable optional field of a type only requests send can be left out,
//! set, or sent as `null` (`Field::three_state`); and their bytes are uploads (`Ty::Upload`).

use super::{Operation, Success, Ty, TypeDef, TypeIndex, TypeKind};

/// Marks [`TypeDef::sent`] and [`super::Field::three_state`], and makes the bytes of types only
/// requests send [`Ty::Upload`] (see the module docs).
pub(super) fn mark(types: &mut [TypeDef], index: &TypeIndex, operations: &[Operation]) {
    let sent = reached(
        types,
        index,
        &operations
            .iter()
            .flat_map(|op| {
                op.body
                    .iter()
                    .map(|b| b.ty.clone())
                    .chain(op.params.iter().map(|p| p.ty.clone()))
            })
            .collect::<Vec<_>>(),
    );
    let received = reached(types, index, &answered(operations));
    let xml = reached(types, index, &in_xml(operations));
    for (i, t) in types.iter_mut().enumerate() {
        t.sent = sent[i];
        t.in_xml = xml[i];
        if let TypeKind::Struct(fields) = &mut t.kind {
            for f in fields {
                f.three_state = sent[i] && !received[i] && f.skip_if_none && f.nullable && !f.ty.is_integer_text();
                if sent[i] && !received[i] {
                    upload(&mut f.ty);
                }
            }
        }
    }
}

/// Bytes only requests send are uploads: from memory, a file or a stream.
fn upload(ty: &mut Ty) {
    match ty {
        Ty::Bytes => *ty = Ty::Upload,
        Ty::Vec(inner) | Ty::Nullable(inner) => upload(inner),
        _ => {}
    }
}

/// What one operation sends and receives: its body, parameters, success and error bodies.
pub(super) fn roots(op: &Operation) -> Vec<Ty> {
    let mut out: Vec<Ty> = op.body.iter().map(|b| b.ty.clone()).collect();
    out.extend(op.params.iter().map(|p| p.ty.clone()));
    out.extend(answered(std::slice::from_ref(op)));
    out
}

/// The types of the XML bodies operations send and answer.
fn in_xml(operations: &[Operation]) -> Vec<Ty> {
    let mut out = Vec::new();
    for op in operations {
        if let Some(body) = op.body.as_ref().filter(|b| b.encoding == super::BodyEncoding::Xml) {
            out.push(body.ty.clone());
        }
        if let (Success::Json(ty), true) = (&op.success, op.answers_xml) {
            out.push(ty.clone());
        }
    }
    out
}

/// The types of every success and error body.
fn answered(operations: &[Operation]) -> Vec<Ty> {
    let mut out = Vec::new();
    for op in operations {
        let successes: Vec<&Success> = match &op.success {
            Success::Outcomes { cases, .. } => cases.iter().map(|c| &c.body).collect(),
            other => vec![other],
        };
        out.extend(successes.into_iter().filter_map(|s| match s {
            Success::Json(ty) => Some(ty.clone()),
            _ => None,
        }));
        out.extend(op.errors.iter().filter_map(|e| e.body.clone()).map(Ty::Named));
        let only = match &op.success {
            Success::Events(events) => Some(events),
            _ => None,
        };
        for events in only.into_iter().chain(&op.events) {
            if let super::EventData::Json(ty) = &events.data {
                out.push(ty.clone());
            }
        }
    }
    out
}

/// For each type, whether one of `roots` reaches it. Each type is visited once, so cycles end
/// and the walk is linear in the number of fields.
pub(super) fn reached(types: &[TypeDef], index: &TypeIndex, roots: &[Ty]) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut pending: Vec<&Ty> = roots.iter().collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Named(name) => {
                let Some(i) = index.position(types, name) else { continue };
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                match &types[i].kind {
                    TypeKind::Struct(fields) => pending.extend(fields.iter().map(|f| &f.ty)),
                    TypeKind::Union { variants, .. } => pending.extend(variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(next) => pending.push(next),
                    TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
                }
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => pending.push(inner),
            _ => {}
        }
    }
    seen
}
