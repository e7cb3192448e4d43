import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A widget that lays out widgets built when the dashboard body is rendered (at synth), so rows reflect
 * everything added to their constructs after registration.
 *
 * The dashboard renders its body by reading `width`/`height`, then `position()`, then `toJson()`; the layout
 * is built on the first of these and dropped after `toJson()`, so each rendering starts from the constructs.
 */
export class RowsWidget implements cloudwatch.IWidget {
  private layout?: cloudwatch.Column;

  constructor(private readonly render: () => cloudwatch.IWidget[]) {}

  public get width(): number {
    return this.current().width;
  }

  public get height(): number {
    return this.current().height;
  }

  public position(x: number, y: number): void {
    this.current().position(x, y);
  }

  public toJson(): any[] {
    const json = this.current().toJson();
    this.layout = undefined;
    return json;
  }

  private current(): cloudwatch.Column {
    if (!this.layout) {
      const widgets = this.render();
      // A column of nothing would be -Infinity wide: an empty dashboard keeps one invisible cell instead.
      this.layout = new cloudwatch.Column(...(widgets.length > 0 ? widgets : [new cloudwatch.Spacer()]));
    }
    return this.layout;
  }
}
