//! Recursion: the fields and union variants through which a type contains itself are boxed.

use super::{Ty, TypeDef, TypeIndex, TypeKind};

/// The position of the named type a field of type `ty` holds inline: `ty`'s own, or for an
/// alias the end of its chain of aliases. `None` for types behind a `Vec` or map (which already
/// allocate) and for types without a name.
pub(super) fn inline_target(ty: &Ty, types: &[TypeDef], index: &TypeIndex) -> Option<usize> {
    let mut ty = ty;
    // A chain of aliases visits each type at most once; a longer chain is a cycle.
    for _ in 0..=types.len() {
        let Ty::Named(name) = ty else {
            return None;
        };
        let i = index.position(types, name)?;
        match &types[i].kind {
            TypeKind::Alias(next) => ty = next,
            _ => return Some(i),
        }
    }
    None
}

/// Boxes every field through which a struct contains itself, directly or through other structs,
/// so that recursive and mutually recursive types have a finite size.
///
/// A field from `A` to `B` makes `A` infinitely large exactly when `B` also reaches `A`, that is
/// when both are in the same strongly connected component of the "holds inline" graph; one
/// pass of Tarjan's algorithm finds them all, in time linear in the number of fields.
pub(super) fn box_recursive_fields(types: &mut [TypeDef], index: &TypeIndex) {
    // For each type, (field or variant position, index of the type it holds inline there).
    let edges: Vec<Vec<(usize, usize)>> = types
        .iter()
        .map(|t| {
            let held: Vec<&Ty> = match &t.kind {
                TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                _ => Vec::new(),
            };
            held.into_iter()
                .enumerate()
                .filter_map(|(i, ty)| inline_target(ty, types, index).map(|target| (i, target)))
                .collect()
        })
        .collect();
    let successors: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().map(|(_, t)| *t).collect()).collect();
    let component = strongly_connected_components(&successors);
    let to_box: Vec<(usize, usize)> = edges
        .iter()
        .enumerate()
        .flat_map(|(from, e)| e.iter().map(move |(position, to)| (from, *position, *to)))
        .filter(|(from, _, to)| component[*from] == component[*to])
        .map(|(from, position, _)| (from, position))
        .collect();
    for (from, position) in to_box {
        match &mut types[from].kind {
            TypeKind::Struct(fields) => fields[position].boxed = true,
            TypeKind::Union { variants, .. } => variants[position].boxed = true,
            _ => {}
        }
    }
}

/// The strongly connected component of each node of a graph given by its successor lists
/// (Tarjan's algorithm, with an explicit stack so deep graphs cannot overflow the call stack).
pub(super) fn strongly_connected_components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = successors.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0;
            if let Some(&w) = successors[v].get(top.1) {
                top.1 += 1;
                if order[w] == UNSEEN {
                    order[w] = next_order;
                    low[w] = next_order;
                    next_order += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
