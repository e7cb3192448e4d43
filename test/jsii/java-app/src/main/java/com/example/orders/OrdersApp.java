package com.example.orders;

import java.util.List;

import io.github.cdkresilientserverless.AutoscaledProvisionedConcurrencyProps;
import io.github.cdkresilientserverless.CircuitBreakerBinding;
import io.github.cdkresilientserverless.CircuitBreakerTable;
import io.github.cdkresilientserverless.EventArchiveOptions;
import io.github.cdkresilientserverless.EventRuleOptions;
import io.github.cdkresilientserverless.FunctionAlarmsOptions;
import io.github.cdkresilientserverless.ProvisionedConcurrency;
import io.github.cdkresilientserverless.ResilientEventBus;
import io.github.cdkresilientserverless.ResilientFunction;
import io.github.cdkresilientserverless.ResilientHttpApi;
import io.github.cdkresilientserverless.RouteAuth;
import io.github.cdkresilientserverless.RouteOptions;
import io.github.cdkresilientserverless.ScheduledCapacity;
import io.github.cdkresilientserverless.WarmingOptions;
import io.github.cdkresilientserverless.WarmingSchedule;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.CronOptions;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Schedule;

public final class OrdersApp {
    public static void main(final String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "Orders");
        CircuitBreakerTable breakers = new CircuitBreakerTable(stack, "Breakers");

        ResilientFunction checkout = ResilientFunction.Builder.create(stack, "Checkout")
                .entry("checkout.ts")      // TypeScript handler, bundled with esbuild; relative to where you run cdk synth
                .provisionedConcurrency(ProvisionedConcurrency.autoscaled(AutoscaledProvisionedConcurrencyProps.builder()
                        .minCapacity(2)
                        .maxCapacity(20)
                        .utilizationTarget(0.7)
                        .schedules(List.of(ScheduledCapacity.builder()
                                .name("BusinessHours")
                                .schedule(software.amazon.awscdk.services.applicationautoscaling.Schedule.cron(
                                        CronOptions.builder().minute("0").hour("8").weekDay("MON-FRI").build()))
                                .minCapacity(10)
                                .build()))
                        .build()))
                .circuitBreaker(CircuitBreakerBinding.builder().table(breakers).circuits(List.of("payments")).build())
                .alarms(FunctionAlarmsOptions.builder().maxErrorRatePercent(2).build())
                .build();

        ResilientFunction reports = ResilientFunction.Builder.create(stack, "Reports")
                .entry("reports.ts")
                .warming(WarmingOptions.builder().schedules(List.of(
                        WarmingSchedule.builder().name("Day")
                                .schedule(Schedule.expression("cron(0/5 8-17 ? * MON-FRI *)")).concurrency(10).build(),
                        WarmingSchedule.builder().name("Night")
                                .schedule(Schedule.expression("cron(0/5 0-7,18-23 ? * * *)")).concurrency(2).build()))
                        .build())
                .build();

        ResilientHttpApi api = new ResilientHttpApi(stack, "Api");
        api.addRoute("POST", "/checkout", checkout, RouteOptions.builder().auth(RouteAuth.iam()).build());
        api.addRoute("GET", "/reports/{id}", reports, RouteOptions.builder().auth(RouteAuth.none()).build());   // public, explicitly

        ResilientEventBus bus = ResilientEventBus.Builder.create(stack, "Bus")
                .archive(EventArchiveOptions.builder().retention(Duration.days(30)).build())
                .build();
        bus.addRule("OrderPlaced", EventRuleOptions.builder()
                .eventPattern(EventPattern.builder().source(List.of("shop")).detailType(List.of("OrderPlaced")).build())
                .target(reports)
                .build());

        app.synth();
    }
}
