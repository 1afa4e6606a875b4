class RenameCustomerColumns < ActiveRecord::Migration[7.1]
  def up
    rename_column :customers, :fname, :first_name
    # ward: expand-contract
    remove_column :customers, :legacy_id
    change_table :customers do |t|
      t.change :zip, :string, limit: 10
    end
  end

  def down
    rename_column :customers, :first_name, :fname
  end
end
