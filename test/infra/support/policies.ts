import type { CfnResourceJson, TemplateJson } from './synth.js';

/** The account and region the simulated deployment lives in. */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

/** An IAM policy document after every CloudFormation function in it is resolved. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatementJson[];
}

/** One statement of a {@link PolicyDocument}. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * What the deployed resources would be called: each resource is named after its logical id, and
 * `Ref` / `Fn::GetAtt` return what CloudFormation documents for its type.
 */
function physical(id: string, resource: CfnResourceJson, attribute: string | undefined): string {
  const name = (resource.Properties?.Name as string | undefined) ?? id;
  const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return attribute === 'Arn' ? arn('lambda', `function:${id}`) : id;
    case 'AWS::IAM::Role':
      return attribute === 'Arn' ? `arn:aws:iam::${ACCOUNT}:role/${id}` : id;
    case 'AWS::StepFunctions::StateMachine':
      return attribute === 'Name' ? id : arn('states', `stateMachine:${id}`);
    case 'AWS::Scheduler::ScheduleGroup':
      return attribute === 'Arn' ? arn('scheduler', `schedule-group/${name}`) : name;
    case 'AWS::Logs::LogGroup': {
      const group = (resource.Properties?.LogGroupName as string | undefined) ?? id;
      return attribute === 'Arn' ? arn('logs', `log-group:${group}:*`) : group;
    }
    case 'AWS::SNS::Topic':
      return arn('sns', id);
    case 'AWS::KMS::Key':
      return attribute === 'Arn' ? arn('kms', `key/${id}`) : id;
    default:
      throw new Error(`The policy test cannot name a ${resource.Type} (${id}.${attribute ?? 'Ref'}).`);
  }
}

/** Resolves `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`, `Fn::Split` and `Fn::Sub` in a template value. */
export function resolveValue(template: TemplateJson, value: unknown): unknown {
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const object = node as Record<string, unknown>;
    const keys = Object.keys(object);
    const [only] = keys;
    if (keys.length !== 1 || only === undefined) {
      return Object.fromEntries(keys.map((key) => [key, resolve(object[key])]));
    }
    const argument = object[only];
    switch (only) {
      case 'Ref': {
        const id = argument as string;
        const pseudo = PSEUDO[id];
        if (pseudo !== undefined) return pseudo;
        return physical(id, lookup(template, id), undefined);
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = argument as [string, string];
        return physical(id, lookup(template, id), attribute);
      }
      case 'Fn::Join': {
        const [delimiter, parts] = argument as [string, unknown[]];
        return (resolve(parts) as unknown[]).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (resolve(list) as unknown[])[Number(index)];
      }
      case 'Fn::Split': {
        const [delimiter, text] = argument as [string, unknown];
        return String(resolve(text)).split(delimiter);
      }
      case 'Fn::Sub':
        return String(argument).replace(/\$\{([\w:]+)\}/g, (_match, name: string) =>
          String(resolve({ Ref: name })),
        );
      default:
        return { [only]: resolve(argument) };
    }
  };
  return resolve(value);
}

function lookup(template: TemplateJson, id: string): CfnResourceJson {
  const resource = template.Resources[id];
  if (resource === undefined) throw new Error(`The template has no resource ${id}.`);
  return resource;
}

/** Every identity policy of a role (inline, and the AWS::IAM::Policy resources attached to it), resolved. */
export function rolePolicies(
  template: TemplateJson,
  roleId: string,
): { name: string; policy: PolicyDocument }[] {
  const role = lookup(template, roleId);
  const inline = ((role.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]).map(
    (policy) => ({ name: policy.PolicyName, document: policy.PolicyDocument }),
  );
  const attached = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .filter(([, resource]) =>
      ((resource.Properties?.Roles ?? []) as unknown[]).some(
        (ref) => (ref as { Ref?: string }).Ref === roleId,
      ),
    )
    .map(([id, resource]) => ({ name: id, document: resource.Properties?.PolicyDocument }));
  return [...inline, ...attached].map(({ name, document }) => ({
    name,
    policy: resolveValue(template, document) as PolicyDocument,
  }));
}

/** A managed policy's document, resolved as IAM would see it. */
export function managedPolicy(
  template: TemplateJson,
  policyId: string,
): { name: string; policy: PolicyDocument }[] {
  const resource = lookup(template, policyId);
  return [
    { name: policyId, policy: resolveValue(template, resource.Properties?.PolicyDocument) as PolicyDocument },
  ];
}

/**
 * Every statement of every identity policy in the template, with the role (or, for a managed
 * policy for people, the policy) it belongs to.
 */
export function allStatements(template: TemplateJson): { role: string; statement: PolicyStatementJson }[] {
  const ofRoles = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .flatMap(([roleId]) =>
      rolePolicies(template, roleId).flatMap(({ policy }) =>
        policy.Statement.map((statement) => ({ role: roleId, statement })),
      ),
    );
  const ofManagedPolicies = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy')
    .flatMap(([policyId]) =>
      managedPolicy(template, policyId).flatMap(({ policy }) =>
        policy.Statement.map((statement) => ({ role: policyId, statement })),
      ),
    );
  return [...ofRoles, ...ofManagedPolicies];
}

export function asList<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}
