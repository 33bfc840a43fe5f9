import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpClient, CdpResult } from '../cdp/cdpClient';
import { byteArrayValue, compareNames, HEX_MAX_BYTES, HEX_PREVIEW_BYTES, hexRows, hasChildren, isByteArray, presentationKind, renderValue, scopeName, sizeOf } from './render';

type Ref =
  | { kind: 'scope'; frame: Protocol.Debugger.CallFrame; scopeNumber: number; objectId: string }
  | { kind: 'object'; object: Protocol.Runtime.RemoteObject; evaluateName?: string }
  | { kind: 'bytes'; object: Protocol.Runtime.RemoteObject };

/** Reads the bytes [start, end) of a Uint8Array or Buffer as hex, in the agent (`this` is the array). */
const READ_HEX = `function (start, end) { let s = ''; const n = Math.min(end, this.length); for (let i = start; i < n; i++) { const b = this[i] & 255; s += (b < 16 ? '0' : '') + b.toString(16); } return s; }`;
/** Reads a getter's value (`this` the object): what the Variables view shows for a class's accessors. */
const READ_PROPERTY = 'function (name) { return this[name]; }';
const ASSIGN_PROPERTY = 'function (name, value) { this[name] = value; return this[name]; }';
/** Object groups let a pause's remote objects be released in one call when the agent resumes. */
const OBJECT_GROUP = 'labtel-paused';

/**
 * The Variables view over CDP: scopes of a paused frame, objects expanded on demand
 * (Runtime.getProperties), byte arrays as hex rows, Maps and Sets through their [[Entries]], a
 * class instance's getters read without side effects. References live until the agent resumes.
 */
export class VariableStore {
  private handles = new Handles<Ref>();
  /** Properties asked for ahead of the editor (prefetch), by object id, for this pause. */
  private prefetched = new Map<string, Promise<CdpResult<'Runtime.getProperties'>>>();

  constructor(private readonly cdp: () => CdpClient) {}

  /** Forget this pause's references and release its remote objects. */
  reset(): void {
    this.handles.reset();
    this.prefetched.clear();
    const cdp = this.cdp();
    if (cdp.isOpen) void cdp.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }

  /**
   * After a stop the editor asks for the stack, the top frame's scopes and its first scope's variables,
   * one request after the other: the inspector is asked for those variables at once, so its answer
   * is in by the time the editor's request comes.
   */
  prefetch(frame: Protocol.Debugger.CallFrame | undefined): void {
    const objectId = frame?.scopeChain[0]?.object.objectId;
    if (!objectId) return;
    const p = this.cdp().send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: false });
    p.catch(() => undefined);
    this.prefetched.set(objectId, p);
  }

  scopes(frame: Protocol.Debugger.CallFrame): DebugProtocol.Scope[] {
    return frame.scopeChain.flatMap((scope, scopeNumber): DebugProtocol.Scope[] => {
      if (!scope.object.objectId) return [];
      const global = scope.type === 'global';
      return [{
        name: scopeName(scope),
        presentationHint: scope.type === 'local' ? 'locals' : undefined,
        variablesReference: this.handles.create({ kind: 'scope', frame, scopeNumber, objectId: scope.object.objectId }),
        expensive: global,
      }];
    });
  }

  async variables(reference: number): Promise<DebugProtocol.Variable[]> {
    const ref = this.handles.get(reference);
    if (!ref) return [];
    if (ref.kind === 'bytes') return this.byteRows(ref.object);
    const objectId = ref.kind === 'scope' ? ref.objectId : ref.object.objectId!;
    const parentName = ref.kind === 'object' ? ref.evaluateName : undefined;
    const own = await (this.prefetched.get(objectId) ?? this.cdp().send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: false }));
    const out: DebugProtocol.Variable[] = [];
    if (ref.kind === 'scope' && ref.frame.this && ref.scopeNumber === 0 && ref.frame.this.type === 'object' && ref.frame.this.subtype !== 'null') {
      out.push(await this.variable('this', ref.frame.this, 'this'));
    }
    const props = own.result.filter((p) => p.value || p.get).sort((a, b) => compareNames(a.name, b.name));
    for (const p of props) {
      if (p.value) out.push(await this.variable(p.name, p.value, childName(parentName, p.name, ref.kind === 'scope')));
      else if (p.get && p.get.type === 'function') out.push(await this.getter(objectId, p.name, parentName));
    }
    if (ref.kind === 'object') {
      for (const p of own.internalProperties ?? []) {
        if (p.value && p.name !== '[[Prototype]]') out.push(await this.variable(p.name, p.value));
      }
      if (isClassInstance(ref.object)) out.push(...await this.inheritedGetters(objectId, new Set(props.map((p) => p.name)), parentName));
    }
    return out;
  }

  /** Evaluates in a paused frame (or globally when running). Hover evaluates without side effects. */
  async evaluate(expression: string, frame: Protocol.Debugger.CallFrame | undefined, context: string | undefined): Promise<DebugProtocol.EvaluateResponse['body']> {
    const cdp = this.cdp();
    const sideEffectFree = context === 'hover';
    const r = frame
      ? await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression, objectGroup: OBJECT_GROUP, includeCommandLineAPI: context === 'repl', throwOnSideEffect: sideEffectFree, generatePreview: false })
      : await cdp.send('Runtime.evaluate', { expression, objectGroup: OBJECT_GROUP, includeCommandLineAPI: context === 'repl', throwOnSideEffect: sideEffectFree, awaitPromise: false });
    if (r.exceptionDetails) throw new Error(exceptionText(r.exceptionDetails));
    const v = await this.variable('', r.result, expression);
    return { result: v.value, type: v.type, variablesReference: v.variablesReference, presentationHint: v.presentationHint };
  }

  /** Sets a variable of a scope (Debugger.setVariableValue) or a property of an object to an expression's value. */
  async setVariable(reference: number, name: string, valueExpression: string, frame: Protocol.Debugger.CallFrame | undefined): Promise<DebugProtocol.Variable> {
    const ref = this.handles.get(reference);
    if (!ref || ref.kind === 'bytes') throw new Error(`"${name}" cannot be set here`);
    const cdp = this.cdp();
    const onFrame = ref.kind === 'scope' ? ref.frame : frame;
    const evaluated = onFrame
      ? await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: onFrame.callFrameId, expression: valueExpression, objectGroup: OBJECT_GROUP })
      : await cdp.send('Runtime.evaluate', { expression: valueExpression, objectGroup: OBJECT_GROUP });
    if (evaluated.exceptionDetails) throw new Error(exceptionText(evaluated.exceptionDetails));
    const value = callArgument(evaluated.result);
    if (ref.kind === 'scope') {
      await cdp.send('Debugger.setVariableValue', { scopeNumber: ref.scopeNumber, variableName: name, newValue: value, callFrameId: ref.frame.callFrameId });
      return this.variable(name, evaluated.result, name);
    }
    const r = await cdp.send('Runtime.callFunctionOn', { objectId: ref.object.objectId!, functionDeclaration: ASSIGN_PROPERTY, arguments: [{ value: name }, value], objectGroup: OBJECT_GROUP });
    if (r.exceptionDetails) throw new Error(exceptionText(r.exceptionDetails));
    return this.variable(name, r.result, childName(ref.evaluateName, name, false));
  }

  /** A DAP variable for a remote value, with a reference when it has children. */
  async variable(name: string, o: Protocol.Runtime.RemoteObject, evaluateName?: string): Promise<DebugProtocol.Variable> {
    const base = { name, type: o.subtype ?? o.type, evaluateName, presentationHint: { kind: presentationKind(o) } };
    if (isByteArray(o) && o.objectId) {
      const hex = await this.readHex(o, 0, HEX_PREVIEW_BYTES);
      return { ...base, type: o.className ?? 'Uint8Array', value: byteArrayValue(o, hex), variablesReference: this.handles.create({ kind: 'bytes', object: o }), indexedVariables: undefined };
    }
    const ref = hasChildren(o) ? this.handles.create({ kind: 'object', object: o, evaluateName }) : 0;
    return { ...base, value: renderValue(o), variablesReference: ref };
  }

  private async byteRows(o: Protocol.Runtime.RemoteObject): Promise<DebugProtocol.Variable[]> {
    const total = sizeOf(o) ?? 0;
    const hex = await this.readHex(o, 0, Math.min(total, HEX_MAX_BYTES));
    return hexRows(hex, total).map((r) => ({ name: r.name, value: r.value, variablesReference: 0 }));
  }

  private async readHex(o: Protocol.Runtime.RemoteObject, start: number, end: number): Promise<string> {
    const r = await this.cdp().send('Runtime.callFunctionOn', { objectId: o.objectId!, functionDeclaration: READ_HEX, arguments: [{ value: start }, { value: end }], returnByValue: true });
    return typeof r.result.value === 'string' ? r.result.value : '';
  }

  private async getter(objectId: string, name: string, parentName: string | undefined): Promise<DebugProtocol.Variable> {
    const r = await this.cdp().send('Runtime.callFunctionOn', { objectId, functionDeclaration: READ_PROPERTY, arguments: [{ value: name }], objectGroup: OBJECT_GROUP, throwOnSideEffect: true });
    if (r.exceptionDetails) return { name, value: '(getter: not read, it would have side effects)', variablesReference: 0, presentationHint: { kind: 'property' } };
    const v = await this.variable(name, r.result, childName(parentName, name, false));
    return { ...v, presentationHint: { kind: 'property' } };
  }

  /** A class instance's getters from its prototype chain (SampledFlow's srcAddr and dstAddr, say), each read without side effects. */
  private async inheritedGetters(objectId: string, own: Set<string>, parentName: string | undefined): Promise<DebugProtocol.Variable[]> {
    const all = await this.cdp().send('Runtime.getProperties', { objectId, ownProperties: false, accessorPropertiesOnly: true, generatePreview: false });
    const names = [...new Set(all.result.filter((p) => p.get && p.get.type === 'function' && !own.has(p.name) && p.name !== '__proto__').map((p) => p.name))];
    const out: DebugProtocol.Variable[] = [];
    for (const n of names) out.push(await this.getter(objectId, n, parentName));
    return out;
  }
}

/** A plain object made by a class of the program (not Object, not a built-in with a subtype). */
function isClassInstance(o: Protocol.Runtime.RemoteObject): boolean {
  return o.type === 'object' && o.subtype === undefined && o.className !== undefined && o.className !== 'Object';
}

/** How to name a child in an expression, for "Copy as Expression" and watch. */
function childName(parent: string | undefined, name: string, inScope: boolean): string | undefined {
  if (inScope) return name;
  if (parent === undefined) return undefined;
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return `${parent}.${name}`;
  if (/^\d+$/.test(name)) return `${parent}[${name}]`;
  return `${parent}[${JSON.stringify(name)}]`;
}

function callArgument(o: Protocol.Runtime.RemoteObject): Protocol.Runtime.CallArgument {
  if (o.objectId) return { objectId: o.objectId };
  if (o.unserializableValue) return { unserializableValue: o.unserializableValue };
  return { value: o.value };
}

export function exceptionText(d: Protocol.Runtime.ExceptionDetails): string {
  return d.exception?.description?.split('\n', 1)[0] ?? d.text;
}
