/**
 * Scale-ins: every container a service has beyond its count — because the autoscaler lowered it or a user
 * applied fewer replicas — leaves through the acknowledged drain of releases before it is stopped, so that no
 * request in flight to it fails.
 */
@NullMarked
package io.wharf.server.scalein;

import org.jspecify.annotations.NullMarked;
