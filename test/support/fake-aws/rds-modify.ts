import {
  AddTagsToResourceCommand,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupNotFoundFault,
  InvalidDBClusterStateFault,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import type { binder } from './bind.js';
import { clusterView } from './rds-views.js';
import { type FakeCluster, type FakeState, type FakeTag, mergeTags } from './state.js';

const meta = { $metadata: {} };

function invalidParameter(message: string): RDSServiceException {
  return new RDSServiceException({ name: 'InvalidParameterValue', message, $fault: 'client', ...meta });
}

/** RDS's rule for identifiers; RDS stores them in lower case. */
function identifier(value: string, parameter: string): string {
  const id = value.toLowerCase();
  if (!/^[a-z](?:-?[a-z0-9])*$/.test(id) || id.length > 63) {
    throw invalidParameter(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return id;
}

/** The master password rule of Aurora PostgreSQL: 8 to 41 printable ASCII characters, not `/`, `"`, `@` or a space. */
function checkPassword(password: string): void {
  if (
    password.length < 8 ||
    password.length > 41 ||
    !/^[\x21-\x7e]+$/.test(password) ||
    /[/"@]/.test(password)
  ) {
    throw invalidParameter(
      "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.",
    );
  }
}

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
    if (found.status !== 'available') {
      throw new InvalidDBClusterStateFault({
        message: `DBCluster ${found.id} is in ${found.status} state.`,
        ...meta,
      });
    }
    const newId =
      input.NewDBClusterIdentifier === undefined
        ? undefined
        : identifier(input.NewDBClusterIdentifier, 'NewDBClusterIdentifier');
    if (newId !== undefined && input.MasterUserPassword !== undefined) {
      throw new Error('The fake AWS does not model a rename and a new password in one ModifyDBCluster call');
    }
    if (newId !== undefined && state.clusterIdTaken(newId)) {
      throw new DBClusterAlreadyExistsFault({ message: `DB Cluster ${newId} already exists`, ...meta });
    }
    if (input.MasterUserPassword !== undefined) {
      checkPassword(input.MasterUserPassword);
      // Applied at once whatever ApplyImmediately says, as RDS does for the master password.
      found.password = input.MasterUserPassword;
      found.pendingPassword = true;
      found.status = 'resetting-master-credentials';
      found.ticks = 2;
    }
    if (newId !== undefined && input.ApplyImmediately !== true) {
      found.pendingIdentifier = newId;
    } else if (newId !== undefined) {
      found.status = 'renaming';
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
      if (!found) throw new DBClusterNotFoundFault({ message: `DBCluster ${name} not found.`, ...meta });
      return { tags: found.tags, set: (tags) => (found.tags = tags) };
    }
    if (kind === 'db') {
      const found = state.instances.get(name);
      if (!found) throw new DBInstanceNotFoundFault({ message: `DBInstance ${name} not found.`, ...meta });
      return { tags: found.tags, set: (tags) => (found.tags = tags) };
    }
    const group = [...state.subnetGroups.values()].find((g) => g.arn === arn);
    if (kind === 'subgrp' && group) return { tags: group.tags, set: (tags) => (group.tags = tags) };
    throw new DBSubnetGroupNotFoundFault({ message: `DBSubnetGroup ${name} not found.`, ...meta });
  };
  on(ListTagsForResourceCommand, (input) => {
    // Subnet groups are the only resources the handlers read tags of this way; an unknown one has none.
    try {
      return { TagList: tagsAt(input.ResourceName ?? '').tags };
    } catch {
      return { TagList: [] };
    }
  });
  on(AddTagsToResourceCommand, (input) => {
    const resource = tagsAt(input.ResourceName ?? '');
    resource.set(mergeTags(resource.tags, input.Tags));
    return {};
  });
}
