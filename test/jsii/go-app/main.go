package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/jsii-runtime-go"
	rs "github.com/cdk-resilient-serverless/cdk-resilient-serverless-go/cdkresilientserverless"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)
	breakers := rs.NewCircuitBreakerTable(stack, jsii.String("Breakers"), nil)

	checkout := rs.NewResilientFunction(stack, jsii.String("Checkout"), &rs.ResilientFunctionProps{
		Entry: jsii.String("checkout.ts"), // TypeScript handler next to go.mod (cdk runs the app there), bundled with esbuild
		ProvisionedConcurrency: rs.ProvisionedConcurrency_Autoscaled(&rs.AutoscaledProvisionedConcurrencyProps{
			MinCapacity:       jsii.Number(2),
			MaxCapacity:       jsii.Number(20),
			UtilizationTarget: jsii.Number(0.7),
			Schedules: &[]*rs.ScheduledCapacity{{
				Name: jsii.String("BusinessHours"),
				Schedule: awsapplicationautoscaling.Schedule_Cron(&awsapplicationautoscaling.CronOptions{
					Minute: jsii.String("0"), Hour: jsii.String("8"), WeekDay: jsii.String("MON-FRI"),
				}),
				MinCapacity: jsii.Number(10),
			}},
		}),
		CircuitBreaker: &rs.CircuitBreakerBinding{Table: breakers, Circuits: jsii.Strings("payments")},
		Alarms:         &rs.FunctionAlarmsOptions{MaxErrorRatePercent: jsii.Number(2)},
	})

	reports := rs.NewResilientFunction(stack, jsii.String("Reports"), &rs.ResilientFunctionProps{
		Entry: jsii.String("reports.ts"),
		Warming: &rs.WarmingOptions{Schedules: &[]*rs.WarmingSchedule{
			{Name: jsii.String("Day"), Schedule: awsevents.Schedule_Expression(jsii.String("cron(0/5 8-17 ? * MON-FRI *)")), Concurrency: jsii.Number(10)},
			{Name: jsii.String("Night"), Schedule: awsevents.Schedule_Expression(jsii.String("cron(0/5 0-7,18-23 ? * * *)")), Concurrency: jsii.Number(2)},
		}},
	})

	api := rs.NewResilientHttpApi(stack, jsii.String("Api"), nil)
	api.AddRoute(jsii.String("POST"), jsii.String("/checkout"), checkout, &rs.RouteOptions{Auth: rs.RouteAuth_Iam()})
	api.AddRoute(jsii.String("GET"), jsii.String("/reports/{id}"), reports, &rs.RouteOptions{Auth: rs.RouteAuth_None()}) // public, explicitly

	bus := rs.NewResilientEventBus(stack, jsii.String("Bus"), &rs.ResilientEventBusProps{
		Archive: &rs.EventArchiveOptions{Retention: awscdk.Duration_Days(jsii.Number(30))},
	})
	bus.AddRule(jsii.String("OrderPlaced"), &rs.EventRuleOptions{
		EventPattern: &awsevents.EventPattern{Source: jsii.Strings("shop"), DetailType: jsii.Strings("OrderPlaced")},
		Target:       reports,
	})

	app.Synth(nil)
}
