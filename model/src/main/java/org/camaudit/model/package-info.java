/**
 * camaudit's immutable value types: what the operator allowed ({@link org.camaudit.model.Scope}),
 * what was seen ({@link org.camaudit.model.Observation}) and the scans that hold them. Depends on
 * nothing.
 */
package org.camaudit.model;
