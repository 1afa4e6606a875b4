//! Rendered kustomize objects as resources of the graph: each root kustomization (one no other
//! includes) is rendered ([`crate::render`]) and every object it deploys becomes a `kubernetes`
//! resource named for the kustomization (`k8s:Deployment/shop/api@deploy/overlays/prod`), in
//! the kustomization's environment, labelled [`RENDERED_LABEL`], carrying the pointer → origin
//! table that places a finding on the line a person edits. The files a rendering reads (a
//! base's manifests, patches) are labelled [`INPUT_LABEL`]: they are judged through what they
//! render to, not on their own.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{GraphBuilder, Resource};
use crate::document::{DocumentKind, Span};
use crate::render::{Provenance, Rendered};

/// The label of an object a kustomization renders.
pub(crate) const RENDERED_LABEL: &str = "rendered";
/// The label of an object in a file a rendering reads: per-resource rules judge what it renders
/// to instead.
pub(crate) const INPUT_LABEL: &str = "rendered-input";

/// Where a rendered resource comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFrom {
    /// The kustomization that rendered it.
    pub renderer: String,
    /// What the object was called where it was first written (`Deployment/api`): the same in
    /// every overlay of one base, so that a finding on a base line has one identity.
    pub source: String,
    /// Where each of its values was written.
    pub provenance: Provenance,
    /// For a value a chart's values file set, the template action that printed it.
    pub via: Provenance,
}

/// Adds `rendered`'s objects as resources, and labels the resources of the files it read.
pub(crate) fn add_rendered(builder: &mut GraphBuilder, rendered: Rendered) {
    for resource in builder.resources.iter_mut() {
        let read = builder.documents.get(resource.document).is_some_and(|d| rendered.inputs.contains(&d.path));
        if read && resource.kind == DocumentKind::Kubernetes && resource.resource_type != "Kustomization" {
            resource.labels.insert(INPUT_LABEL.to_owned());
        }
    }
    for object in rendered.objects {
        let Ok(document) = builder.documents.binary_search_by(|d| d.path.as_str().cmp(&object.renderer)) else {
            continue;
        };
        let Some(doc) = builder.documents.get(document) else { continue };
        // A chart renders once per environment: its objects are told apart by it
        // (`k8s:Deployment/shop@deploy/chart[production]`), as Terraform's blocks are.
        let dir = match &object.environment {
            Some(environment) => format!("{}[{environment}]", super::parent_dir(&doc.path)),
            None => super::parent_dir(&doc.path).to_owned(),
        };
        let Some(slot) = crate::kinds::kubernetes_object_slot(String::new(), &object.value, &dir, &doc.path) else {
            continue;
        };
        // The resource's own place is the kustomization: what a finding about it as a whole
        // falls back to when its origin is not a file of the scan.
        let region = doc.entry_region_of("/0").unwrap_or_else(|| doc.lines.region(&doc.text, Span::new(0, 0)));
        builder.resources.push(Resource {
            id: slot.id,
            kind: DocumentKind::Kubernetes,
            resource_type: slot.resource_type,
            name: slot.name,
            document,
            pointer: String::new(),
            environment: object.environment.or_else(|| doc.environment.clone()),
            environments: Vec::new(),
            value: object.value,
            region,
            labels: BTreeSet::from([RENDERED_LABEL.to_owned()]),
            rendered: Some(Arc::new(RenderedFrom {
                renderer: object.renderer,
                source: object.source,
                provenance: object.provenance,
                via: object.via,
            })),
            called: None,
        });
    }
}

/// Whether a resource was read by a rendering (and is judged through it).
pub(crate) fn is_input(resource: &Resource) -> bool {
    resource.labels.contains(INPUT_LABEL)
}
