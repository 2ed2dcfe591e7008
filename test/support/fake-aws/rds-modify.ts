import {
  AddTagsToResourceCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { masterPasswordRefusal } from '../../../functions/shared/aws/rds-identifiers.js';
import { clusterIdentifierTaken } from '../../../functions/shared/aws/rds-requests.js';
import { CLUSTER_LIFECYCLES } from '../../../functions/shared/aws/rds-statuses.js';
import type { binder } from './bind.js';
import { rdsError, rdsIdentifier } from './rds-rules.js';
import { clusterView } from './rds-views.js';
import { type FakeCluster, type FakeState, type FakeTag, mergeTags } from './state.js';

/**
 * ModifyDBCluster (a new master password, a new identifier) and the tagging calls, bound to the
 * fake's RDS stub.
 *
 * A rename as RDS does it: only from `available`, never onto a name in use (or being moved to),
 * `renaming` for a while under the old identifier, then the cluster, its ARN and its endpoint
 * carry the new one; its instances keep their names. Without `ApplyImmediately` a rename waits
 * for the maintenance window, which never comes in a test.
 */
export function fakeRdsChanges(
  on: ReturnType<typeof binder>,
  state: FakeState,
  cluster: (id: string | undefined) => FakeCluster,
): void {
  on(ModifyDBClusterCommand, (input) => {
    const found = cluster(input.DBClusterIdentifier);
    if (found.status !== 'available')
      throw rdsError(RDS_ERRORS.clusterNotAvailableForChange(found.id, found.status));
    // An empty NewDBClusterIdentifier asks for no rename, as an absent one.
    const newId = input.NewDBClusterIdentifier
      ? rdsIdentifier(input.NewDBClusterIdentifier, 'NewDBClusterIdentifier')
      : undefined;
    if (newId !== undefined && input.MasterUserPassword !== undefined) {
      throw new Error('The fake AWS does not model a rename and a new password in one ModifyDBCluster call');
    }
    if (newId !== undefined && clusterIdentifierTaken(newId, state.clusters.values()))
      throw rdsError(RDS_ERRORS.renameTargetExists(newId));
    if (input.MasterUserPassword !== undefined) {
      const refusal = masterPasswordRefusal(input.MasterUserPassword);
      if (refusal) throw rdsError(refusal);
      // Applied at once whatever ApplyImmediately says, as RDS does for the master password.
      found.password = input.MasterUserPassword;
      found.pendingPassword = true;
      [found.status] = CLUSTER_LIFECYCLES.masterPassword;
      found.ticks = 2;
    }
    if (newId !== undefined && input.ApplyImmediately !== true) {
      found.pendingIdentifier = newId;
    } else if (newId !== undefined) {
      [found.status] = CLUSTER_LIFECYCLES.rename;
      found.renamingTo = newId;
      found.ticks = state.behaviour.renameTicks;
    }
    return { DBCluster: clusterView(found, state) };
  });

  /** The tags of an RDS resource by ARN; each kind of resource has its own not-found error. */
  const tagsAt = (arn: string): { tags: FakeTag[]; set: (tags: FakeTag[]) => void } => {
    const kind = arn.split(':')[5];
    const name = arn.split(':').slice(6).join(':');
    if (kind === 'cluster') {
      const found = [...state.clusters.values()].find((c) => c.arn === arn);
      if (!found) throw rdsError(RDS_ERRORS.clusterNotFound(name));
      return { tags: found.tags, set: (tags) => (found.tags = tags) };
    }
    if (kind === 'db') {
      const found = state.instances.get(name);
      if (!found) throw rdsError(RDS_ERRORS.instanceNotFound(name));
      return { tags: found.tags, set: (tags) => (found.tags = tags) };
    }
    const group = [...state.subnetGroups.values()].find((g) => g.arn === arn);
    if (kind === 'subgrp' && group) return { tags: group.tags, set: (tags) => (group.tags = tags) };
    throw rdsError(RDS_ERRORS.subnetGroupNotFound(name));
  };
  on(ListTagsForResourceCommand, (input) => ({ TagList: tagsAt(input.ResourceName ?? '').tags }));
  on(AddTagsToResourceCommand, (input) => {
    const resource = tagsAt(input.ResourceName ?? '');
    resource.set(mergeTags(resource.tags, input.Tags));
    return {};
  });
}
