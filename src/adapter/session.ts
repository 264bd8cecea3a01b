/**
 * The DAP session for the `ims` debug type: a thin DebugSession that hands each request to the
 * service answering it (services.ts wires them: lifecycle, breakpoints, execution, inspection,
 * memory-requests, custom-dispatch) and holds no debugging logic of its own — the model runs and
 * stops in the worker (src/runtime), whose events runtime-events.ts sends as DAP events.
 */
import path from 'node:path';
import { LoggingDebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ImsLaunchArguments } from './launch-args';
import { createServices, type Services } from './services';

/** The `ims` debug session: run by main.ts on stdio or TCP, or inline in VS Code. */
export class ImsDebugSession extends LoggingDebugSession {
  /** The bundled model worker; next to this bundle (dist/) unless set before a session starts. */
  static workerScript = path.join(__dirname, 'worker.js');

  private readonly services: Services;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.services = createServices(
      {
        sendResponse: (response) => this.sendResponse(response),
        sendErrorResponse: (response, message) => this.sendErrorResponse(response, message),
        sendEvent: (event) => this.sendEvent(event),
        lineToDebugger: (line) => this.convertClientLineToDebugger(line),
        columnToDebugger: (column) => this.convertClientColumnToDebugger(column),
        columnToClient: (column) => this.convertDebuggerColumnToClient(column),
        completionStartsAt0: false,
      },
      () => ImsDebugSession.workerScript,
    );
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.services.lifecycle.initialize(response, args);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: ImsLaunchArguments,
  ): Promise<void> {
    return this.services.lifecycle.launch(response, args);
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): Promise<void> {
    return this.services.lifecycle.configurationDone(response);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): Promise<void> {
    return this.services.lifecycle.restart(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    return this.services.lifecycle.terminate(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    return this.services.lifecycle.disconnect(response);
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): Promise<void> {
    return this.services.breakpoints.setBreakpoints(response, args);
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<void> {
    return this.services.breakpoints.setFunctionBreakpoints(response, args);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    return this.services.breakpoints.setExceptionBreakpoints(response, args);
  }

  protected override dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): Promise<void> {
    return this.services.breakpoints.dataBreakpointInfo(response, args);
  }

  protected override setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): Promise<void> {
    return this.services.breakpoints.setDataBreakpoints(response, args);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    return this.services.execution.continue(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    return this.services.execution.next(response);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    return this.services.execution.stepIn(response);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    return this.services.execution.stepOut(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.services.execution.pause(response);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.services.execution.stepBack(response);
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.services.execution.reverseContinue(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    return this.services.inspection.threads(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): Promise<void> {
    return this.services.inspection.stackTrace(response, args);
  }

  protected override scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): Promise<void> {
    return this.services.inspection.scopes(response, args);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): Promise<void> {
    return this.services.inspection.variables(response, args);
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    return this.services.inspection.evaluate(response, args);
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): Promise<void> {
    return this.services.inspection.setVariable(response, args);
  }

  protected override setExpressionRequest(
    response: DebugProtocol.SetExpressionResponse,
    args: DebugProtocol.SetExpressionArguments,
  ): Promise<void> {
    return this.services.inspection.setExpression(response, args);
  }

  protected override completionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): Promise<void> {
    return this.services.inspection.completions(response, args);
  }

  protected override exceptionInfoRequest(
    response: DebugProtocol.ExceptionInfoResponse,
  ): Promise<void> {
    return this.services.inspection.exceptionInfo(response);
  }

  protected override readMemoryRequest(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): Promise<void> {
    return this.services.memory.readMemory(response, args);
  }

  protected override writeMemoryRequest(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): Promise<void> {
    return this.services.memory.writeMemory(response, args);
  }

  protected override customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): Promise<void> {
    return this.services.custom.request(command, response, args);
  }
}
