import os

from aws_cdk import App, Duration, Stack
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_events as events
from cdk_resilient_serverless import (
    CircuitBreakerBinding, CircuitBreakerTable, FunctionAlarmsOptions, ProvisionedConcurrency, ResilientEventBus,
    ResilientFunction, ResilientHttpApi, RouteAuth, ScheduledCapacity, WarmingOptions, WarmingSchedule,
    EventArchiveOptions,
)

here = os.path.dirname(os.path.abspath(__file__))
app = App()
stack = Stack(app, 'Orders')
breakers = CircuitBreakerTable(stack, 'Breakers')

checkout = ResilientFunction(stack, 'Checkout',
    entry=os.path.join(here, 'checkout.ts'),           # TypeScript handler, bundled with esbuild
    provisioned_concurrency=ProvisionedConcurrency.autoscaled(
        min_capacity=2,
        max_capacity=20,
        utilization_target=0.7,
        schedules=[ScheduledCapacity(
            name='BusinessHours',
            schedule=appscaling.Schedule.cron(minute='0', hour='8', week_day='MON-FRI'),
            min_capacity=10,
        )],
    ),
    circuit_breaker=CircuitBreakerBinding(table=breakers, circuits=['payments']),
    alarms=FunctionAlarmsOptions(max_error_rate_percent=2),
)

reports = ResilientFunction(stack, 'Reports',
    entry=os.path.join(here, 'reports.ts'),
    warming=WarmingOptions(schedules=[
        WarmingSchedule(name='Day', schedule=events.Schedule.expression('cron(0/5 8-17 ? * MON-FRI *)'), concurrency=10),
        WarmingSchedule(name='Night', schedule=events.Schedule.expression('cron(0/5 0-7,18-23 ? * * *)'), concurrency=2),
    ]),
)

api = ResilientHttpApi(stack, 'Api')
api.add_route('POST', '/checkout', checkout, auth=RouteAuth.iam())
api.add_route('GET', '/reports/{id}', reports, auth=RouteAuth.none())   # public, explicitly

bus = ResilientEventBus(stack, 'Bus', archive=EventArchiveOptions(retention=Duration.days(30)))
bus.add_rule('OrderPlaced', event_pattern=events.EventPattern(source=['shop'], detail_type=['OrderPlaced']), target=reports)

app.synth()
