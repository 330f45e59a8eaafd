//! Which types requests send: those a request body or a parameter reaches, through fields,
//! union variants, aliases, lists and maps. Callers build these, so they get setters for their
//! optional fields; the rest are built by the client from answers (and by tests with `new`).

use super::{Operation, Ty, TypeDef, TypeIndex, TypeKind};

/// Marks [`TypeDef::sent`] on every type a request of `operations` reaches. Each type is
/// visited once, so cycles end and the walk is linear in the number of fields.
pub(super) fn mark_sent(types: &mut [TypeDef], index: &TypeIndex, operations: &[Operation]) {
    let mut pending: Vec<&Ty> = operations
        .iter()
        .flat_map(|op| op.body.iter().map(|b| &b.ty).chain(op.params.iter().map(|p| &p.ty)))
        .collect();
    let mut seen = vec![false; types.len()];
    let snapshot: &[TypeDef] = types;
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Named(name) => {
                let Some(i) = index.position(snapshot, name) else {
                    continue;
                };
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                match &snapshot[i].kind {
                    TypeKind::Struct(fields) => pending.extend(fields.iter().map(|f| &f.ty)),
                    TypeKind::Union { variants, .. } => pending.extend(variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(next) => pending.push(next),
                    TypeKind::Enum(_) => {}
                }
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => pending.push(inner),
            _ => {}
        }
    }
    for (t, sent) in types.iter_mut().zip(seen) {
        t.sent = sent;
    }
}
