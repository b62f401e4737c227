import { defineScenario } from 'shakedown';
import agent from '../../scenarios/pairs/order-agent-tool-hang.ts';

// The first-time user's finding, reproduced (closing note of issue 11): SHAKEDOWN_TWIN=careful|careless ./shakedown
// run bench/scenarios/agent-few-connections.ts. The order-agent pair over 10 connections, as a first-time user's scenario had them (the old default of 2 × rate):
// arrivals due late in the product API's hang wait in the harness and reach the careless agent only after the
// hang, so its outcomes flatter it; the run says so (a health flag naming load.connections).
export default defineScenario({ ...agent, name: 'agent-few-connections', load: { ...agent.load, connections: 10 } });
